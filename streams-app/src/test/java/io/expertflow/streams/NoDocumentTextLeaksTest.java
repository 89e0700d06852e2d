package io.expertflow.streams;

import static io.expertflow.streams.Fixtures.SECRET_TEXT;
import static io.expertflow.streams.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.operators.compliance.ComplianceRules;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.compliance.ComplianceTopology;
import io.expertflow.streams.intake.IntakeConfig;
import io.expertflow.streams.intake.IntakeTopology;
import io.expertflow.testsupport.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Document text must never reach a log line (at any level) or the audit topic. */
@ExtendWith(LogCapture.Extension.class)
class NoDocumentTextLeaksTest {
  private final TopicNames topics = TopicNames.defaults();
  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

  @Test
  void shouldKeepDocumentTextOutOfLogsAndAudit(LogCapture logs) {
    AvroSerializer<InferenceRequest> requests = new AvroSerializer<>(registry, false);
    IntakeConfig config = new IntakeConfig(Set.of("acme"), 100_000, 4, 9, Duration.ofHours(1));
    try (TopologyTestDriver intake =
        new TopologyTestDriver(
            IntakeTopology.build(topics, config, registry, "test"),
            Fixtures.driverProps(
                "leak-intake", registry, topics, "intake", topics.requestsInbound()),
            T0)) {
      TestInputTopic<String, byte[]> in =
          intake.createInputTopic(
              topics.requestsInbound(),
              Serdes.String().serializer(),
              Serdes.ByteArray().serializer());
      InferenceRequest ok = Fixtures.request("r1").build();
      in.pipeInput("r1", requests.serialize(topics.requestsInbound(), ok), T0); // accepted
      in.pipeInput("r1", requests.serialize(topics.requestsInbound(), ok), T0); // duplicate
      in.pipeInput( // unknown tenant
          "r2",
          requests.serialize(
              topics.requestsInbound(), Fixtures.request("r2").setTenant("initech").build()),
          T0);
      in.pipeInput( // not Avro at all: the text itself as the value
          "r3", SECRET_TEXT.getBytes(StandardCharsets.UTF_8), T0);
    }

    AvroSerializer<InferenceResponse> responses = new AvroSerializer<>(registry, false);
    List<byte[]> auditBytes;
    try (TopologyTestDriver compliance =
        new TopologyTestDriver(
            ComplianceTopology.build(
                topics,
                ComplianceRules.none(io.expertflow.avro.ComplianceDecision.APPROVED),
                registry,
                "test"),
            Fixtures.driverProps(
                "leak-compliance", registry, topics, "compliance", topics.responses()),
            T0)) {
      TestInputTopic<String, byte[]> in =
          compliance.createInputTopic(
              topics.responses(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
      in.pipeInput(
          "r1",
          responses.serialize(topics.responses(), Fixtures.response("r1", "news", 0.9f).build()),
          T0);
      TestOutputTopic<String, byte[]> audit =
          compliance.createOutputTopic(
              topics.audit(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
      auditBytes = audit.readValuesToList();
    }

    List<String> lines = logs.lines();
    assertThat(lines).as("the capture saw the pipeline's log lines").isNotEmpty();
    assertThat(lines).anySatisfy(m -> assertThat(m).contains("rejected request r2"));
    for (String line : lines) {
      assertThat(line).doesNotContain(SECRET_TEXT).doesNotContain("Zyxwv");
    }
    assertThat(auditBytes).hasSize(1);
    assertThat(new String(auditBytes.get(0), StandardCharsets.ISO_8859_1)).doesNotContain("Zyxwv");
  }
}
