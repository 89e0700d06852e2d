/**
 * Test scaffolding for integration tests against real infrastructure: one local Kafka broker per
 * test JVM, shared by every test class that uses {@link io.expertflow.testsupport.WithLocalStack},
 * with the pipeline's topics provisioned.
 */
package io.expertflow.testsupport;
