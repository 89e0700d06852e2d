/**
 * The expertflow Kafka Streams application: topic names ({@link
 * io.expertflow.schemas.topics.TopicNames}), its configuration ({@link
 * io.expertflow.streams.StreamsAppConfig}) and the runner ({@link
 * io.expertflow.streams.StreamsApp}) that starts one {@code KafkaStreams} per topology plus the
 * request-status HTTP server. Each topology lives in its own subpackage with a {@code static
 * Topology build(...)}.
 */
package io.expertflow.streams;
