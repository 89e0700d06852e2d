package io.expertflow.streams;

import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryConfig;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.streams.deadletter.DeadLetterDeserializationHandler;
import io.expertflow.streams.deadletter.DeadLetterHandlerConfig;
import io.expertflow.streams.deadletter.DeadLetterProcessingHandler;
import io.expertflow.streams.deadletter.DeadLetterProductionHandler;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams properties of one topology's {@code KafkaStreams}. */
final class StreamsProperties {
  private StreamsProperties() {}

  /**
   * Exactly-once v2, the dead-letter handlers, and the app's settings; {@code applicationServer}
   * ({@code host:port}) is set for the status topology only.
   */
  static Properties of(
      StreamsAppConfig config,
      AppTopology topology,
      SchemaRegistryClient registry,
      Optional<String> applicationServer) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId() + "-" + topology.id());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class);
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
    // no topology has global state today; should one, its failures go to the dead letters too. The
    // main consumer's copy is read by the partition assignor's own StreamsConfig, which otherwise
    // warned at every start, once per topology, that the handler is off for global threads
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    props.put(
        StreamsConfig.mainConsumerPrefix(
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
        true);
    props.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
    props.put(DeadLetterHandlerConfig.TOPIC, config.topics().deadLetters());
    props.put(DeadLetterHandlerConfig.STAGE, topology.id());
    props.put(DeadLetterHandlerConfig.ORIGIN, config.instanceId());
    props.put(
        DeadLetterHandlerConfig.OWNED_TOPICS,
        String.join(",", topology.ownedTopics(config.topics())));
    props.put(DeadLetterHandlerConfig.SERIALIZER, new AvroSerializer<>(registry, false));
    props.put(SchemaRegistryConfig.URL, config.schemaRegistryUrl());
    applicationServer.ifPresent(s -> props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, s));
    if (config.staticMembership()) {
      // Kafka Streams appends each stream thread's index to the id
      props.put(
          StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
          config.instanceId());
    }
    props.putAll(config.streamsOverrides());
    return props;
  }
}
