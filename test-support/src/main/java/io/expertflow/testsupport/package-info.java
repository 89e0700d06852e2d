/**
 * Test scaffolding for integration tests against real infrastructure: one local Kafka broker per
 * test JVM, shared by every test class that uses {@link io.expertflow.testsupport.WithLocalStack},
 * with the pipeline's topics provisioned; headless Chromium for the browser tests; and {@link
 * io.expertflow.testsupport.LogCapture}, every log line of a test, for the checks that document
 * text never reaches one.
 */
package io.expertflow.testsupport;
