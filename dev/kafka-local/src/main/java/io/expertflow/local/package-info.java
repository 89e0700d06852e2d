/**
 * Local stand-ins for production infrastructure: a real single-node Kafka KRaft broker run as a
 * child JVM ({@link io.expertflow.local.LocalKafkaBroker}) for the demo, the command line and the
 * integration tests, a cluster of such nodes ({@link io.expertflow.local.LocalKafkaCluster}) for
 * showing replication under node failures, and a schema registry server.
 *
 * <p>Child processes bind to 127.0.0.1 only, log to a file in their work folder, and end with the
 * JVM that started them, even when that JVM is killed.
 */
package io.expertflow.local;
