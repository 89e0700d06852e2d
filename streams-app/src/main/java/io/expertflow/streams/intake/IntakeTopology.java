package io.expertflow.streams.intake;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.schemas.tracing.Tracing;
import io.expertflow.streams.deadletter.DeadLetters;
import io.expertflow.streams.dedup.SeenIds;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * The intake topology: {@code requests.inbound} (raw bytes, decoded by the processor so that even
 * undecodable records become dead letters) -> {@code requests} (key document id) and {@code
 * dead-letters} (key request id when known).
 */
public final class IntakeTopology {
  /** Stage named in intake's dead letters. */
  public static final String STAGE = "intake";

  /** Window store of accepted request ids, for de-duplication (changelogged). */
  public static final String DEDUP_STORE = "intake-dedup";

  private IntakeTopology() {}

  /**
   * Builds the topology.
   *
   * @param origin instance id written into dead letters
   */
  public static Topology build(
      TopicNames topics, IntakeConfig config, SchemaRegistryClient registry, String origin) {
    return build(topics, config, registry, origin, Tracing.off());
  }

  /**
   * As {@link #build(TopicNames, IntakeConfig, SchemaRegistryClient, String)}, with an {@code
   * expertflow.intake} span per record that continues its {@code traceparent}; an accepted request
   * carries the intake span's {@code traceparent} on, so the worker's span is its child.
   */
  public static Topology build(
      TopicNames topics,
      IntakeConfig config,
      SchemaRegistryClient registry,
      String origin,
      Tracing tracing) {
    RequestValidator validator = new RequestValidator(config);
    StrictUtf8 strictUtf8 = new StrictUtf8(registry);
    DeadLetters deadLetters = new DeadLetters(STAGE, origin);
    long windowMs = config.dedupWindow().toMillis();
    AvroSerializer<SpecificRecord> values = new AvroSerializer<>(registry, false);

    Topology topology = new Topology();
    topology.addSource(
        "requests-inbound-source",
        Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.requestsInbound());
    topology.addProcessor(
        "intake",
        () ->
            new IntakeProcessor(
                new AvroDeserializer<>(registry, InferenceRequest.class),
                validator,
                strictUtf8,
                deadLetters,
                DEDUP_STORE,
                windowMs,
                tracing),
        "requests-inbound-source");
    topology.addStateStore(SeenIds.store(DEDUP_STORE, config.dedupWindow()), "intake");
    topology.addSink(
        IntakeProcessor.ACCEPTED,
        topics.requests(),
        Serdes.String().serializer(),
        values,
        "intake");
    topology.addSink(
        IntakeProcessor.REJECTED,
        topics.deadLetters(),
        Serdes.String().serializer(),
        values,
        "intake");
    return topology;
  }
}
