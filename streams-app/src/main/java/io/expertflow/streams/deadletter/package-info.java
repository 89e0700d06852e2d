/**
 * Dead letters of the streams app: building {@link io.expertflow.avro.DeadLetter} records ({@link
 * io.expertflow.streams.deadletter.DeadLetters}), the one place that maps exceptions to reasons
 * ({@link io.expertflow.streams.deadletter.FailureClassifier}), and Kafka Streams exception
 * handlers (KIP-1034 {@code Response}s carrying Avro dead letters) for deserialization, processing
 * and production failures.
 */
package io.expertflow.streams.deadletter;
