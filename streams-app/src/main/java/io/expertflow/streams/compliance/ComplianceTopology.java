package io.expertflow.streams.compliance;

import io.expertflow.avro.InferenceResponse;
import io.expertflow.operators.audit.AuditSealer;
import io.expertflow.operators.compliance.ComplianceRules;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.deadletter.DeadLetters;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;

/**
 * The compliance topology: {@code responses} (raw bytes) -> {@code responses.approved} / {@code
 * .review} / {@code .blocked} (key request id), {@code audit}, and {@code dead-letters} for
 * undecodable responses. With a signing key, audit records are signed and chained per responses
 * partition ({@link AuditChains}); the chain heads are its only state.
 */
public final class ComplianceTopology {
  /** Stage named in compliance's dead letters. */
  public static final String STAGE = "compliance";

  private ComplianceTopology() {}

  /** Builds the topology with audit signing off. */
  public static Topology build(
      TopicNames topics, ComplianceRules rules, SchemaRegistryClient registry, String origin) {
    return build(topics, rules, registry, origin, Optional.empty());
  }

  /**
   * Builds the topology; {@code rules} and {@code sealer} are shared by all tasks (both are
   * immutable). Without a sealer, audit records are written unsigned.
   */
  public static Topology build(
      TopicNames topics,
      ComplianceRules rules,
      SchemaRegistryClient registry,
      String origin,
      Optional<AuditSealer> sealer) {
    DeadLetters deadLetters = new DeadLetters(STAGE, origin);
    Serializer<SpecificRecord> values = new AvroSerializer<>(registry, false);
    Serializer<String> keys = Serdes.String().serializer();
    Topology topology = new Topology();
    topology.addSource(
        "responses-source",
        Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.responses());
    topology.addProcessor(
        "compliance",
        () ->
            new ComplianceProcessor(
                new AvroDeserializer<>(registry, InferenceResponse.class),
                rules,
                deadLetters,
                sealer),
        "responses-source");
    topology.addStateStore(AuditChains.store(), "compliance");
    topology.addSink(
        ComplianceProcessor.APPROVED, topics.responsesApproved(), keys, values, "compliance");
    topology.addSink(
        ComplianceProcessor.REVIEW, topics.responsesReview(), keys, values, "compliance");
    topology.addSink(
        ComplianceProcessor.BLOCKED, topics.responsesBlocked(), keys, values, "compliance");
    topology.addSink(
        ComplianceProcessor.AUDIT,
        topics.audit(),
        keys,
        values,
        AuditChains.partitioner(),
        "compliance");
    topology.addSink(
        ComplianceProcessor.DEAD_LETTERS, topics.deadLetters(), keys, values, "compliance");
    return topology;
  }
}
