package io.expertflow.streams.compliance;

import static io.expertflow.streams.Fixtures.T0;
import static io.expertflow.streams.Fixtures.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.operators.audit.AuditCanonicalForm;
import io.expertflow.operators.audit.AuditChainHead;
import io.expertflow.operators.audit.AuditPublicKeys;
import io.expertflow.operators.audit.AuditReport;
import io.expertflow.operators.audit.AuditSealer;
import io.expertflow.operators.audit.AuditSigningKey;
import io.expertflow.operators.audit.AuditVerifier;
import io.expertflow.operators.audit.Ed25519Keys;
import io.expertflow.operators.compliance.ComplianceRules;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With a signing key, the compliance topology's audit records come out signed and chained. */
class SignedAuditTopologyTest {
  private final TopicNames topics = new TopicNames("t.");
  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroSerializer<InferenceResponse> serializer =
      new AvroSerializer<>(registry, false);
  private final AuditSigningKey key = Ed25519Keys.generateSigningKey();
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> responses;
  private TestOutputTopic<String, AuditRecord> audit;

  @BeforeEach
  void start() {
    driver =
        new TopologyTestDriver(
            ComplianceTopology.build(
                topics,
                ComplianceRules.none(io.expertflow.avro.ComplianceDecision.APPROVED),
                registry,
                "test",
                Optional.of(new AuditSealer(key))),
            Fixtures.driverProps(
                "signed-audit-test", registry, topics, "compliance", topics.responses()),
            T0);
    responses =
        driver.createInputTopic(
            topics.responses(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    audit =
        driver.createOutputTopic(
            topics.audit(),
            Serdes.String().deserializer(),
            AvroSerdes.value(AuditRecord.class, registry).deserializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private void send(String id) {
    InferenceResponse r = response(id, "news", 0.95f).build();
    responses.pipeInput(id, serializer.serialize(topics.responses(), r), T0);
  }

  @Test
  void shouldSignAndChainEveryAuditRecordOfTheTask() {
    for (String id : List.of("a", "b", "c")) {
      send(id);
    }

    List<AuditRecord> records = audit.readValuesToList();

    assertThat(records).extracting(AuditRecord::getRequestId).containsExactly("a", "b", "c");
    assertThat(records)
        .allSatisfy(
            r -> {
              assertThat(r.getKeyId()).isEqualTo(key.keyId());
              assertThat(r.getChain()).isEqualTo("responses-0");
              assertThat(r.getSignature().remaining()).isEqualTo(64);
            });
    assertThat(records).extracting(AuditRecord::getSequence).containsExactly(1L, 2L, 3L);
    assertThat(records.get(2).getPreviousDigest().array())
        .isEqualTo(AuditCanonicalForm.digest(records.get(1)));
    AuditVerifier verifier = new AuditVerifier(AuditPublicKeys.of(List.of(key.publicKey())));
    for (int i = 0; i < records.size(); i++) {
      verifier.check(0, i, records.get(i));
    }
    AuditReport report = verifier.finish();
    assertThat(report.problems()).isEmpty();
    assertThat(report.ok()).isEqualTo(3);
  }

  @Test
  void shouldKeepTheChainHeadInTheStateStore() {
    send("a");
    send("b");

    KeyValueStore<String, byte[]> heads = driver.getKeyValueStore(AuditChains.STORE);
    AuditChainHead head = AuditChainHead.fromBytes(heads.get("responses-0"));
    List<AuditRecord> records = audit.readValuesToList();

    assertThat(head.sequence()).isEqualTo(2);
    assertThat(head.digest()).isEqualTo(AuditCanonicalForm.digest(records.get(1)));
  }

  @Test
  void shouldNotAdvanceTheChainForAnUndecodableResponse() {
    send("a");
    responses.pipeInput("junk", "not avro".getBytes(StandardCharsets.UTF_8), T0);
    send("b");

    assertThat(audit.readValuesToList())
        .extracting(AuditRecord::getSequence)
        .containsExactly(1L, 2L);
  }

  @Test
  void shouldPlaceEachChainOnOneAuditPartition() {
    AuditRecord signed = AuditRecord.newBuilder(unsignedOf("x")).setChain("responses-7").build();

    assertThat(AuditChains.partitioner().partitions("audit", "x", signed, 6)).contains(Set.of(1));
    assertThat(
            AuditChains.partitioner().partitions("audit", "x", (SpecificRecord) unsignedOf("x"), 6))
        .isEmpty();
  }

  private static AuditRecord unsignedOf(String id) {
    return AuditRecords.of(
        response(id, "news", 0.9f).build(),
        ComplianceRules.none(io.expertflow.avro.ComplianceDecision.APPROVED)
            .evaluate(response(id, "news", 0.9f).build()),
        T0.toEpochMilli());
  }
}
