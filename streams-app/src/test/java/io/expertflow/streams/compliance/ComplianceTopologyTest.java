package io.expertflow.streams.compliance;

import static io.expertflow.streams.Fixtures.T0;
import static io.expertflow.streams.Fixtures.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.avro.RuleOutcome;
import io.expertflow.operators.compliance.ComplianceRules;
import io.expertflow.operators.compliance.ComplianceRulesParser;
import io.expertflow.operators.compliance.OutputDigest;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ComplianceTopologyTest {
  private final TopicNames topics = new TopicNames("t.");
  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroSerializer<InferenceResponse> serializer =
      new AvroSerializer<>(registry, false);
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> responses;
  private TestOutputTopic<String, InferenceResponse> approved;
  private TestOutputTopic<String, InferenceResponse> review;
  private TestOutputTopic<String, InferenceResponse> blocked;
  private TestOutputTopic<String, AuditRecord> audit;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeEach
  void start() throws Exception {
    ComplianceRules rules =
        ComplianceRulesParser.load(
            Path.of(getClass().getResource("/compliance-rules.yaml").toURI()));
    driver =
        new TopologyTestDriver(
            ComplianceTopology.build(topics, rules, registry, "test"),
            Fixtures.driverProps(
                "compliance-test", registry, topics, "compliance", topics.responses()),
            T0);
    responses =
        driver.createInputTopic(
            topics.responses(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    approved = output(topics.responsesApproved(), InferenceResponse.class);
    review = output(topics.responsesReview(), InferenceResponse.class);
    blocked = output(topics.responsesBlocked(), InferenceResponse.class);
    audit = output(topics.audit(), AuditRecord.class);
    deadLetters = output(topics.deadLetters(), DeadLetter.class);
  }

  private <T extends org.apache.avro.specific.SpecificRecord> TestOutputTopic<String, T> output(
      String topic, Class<T> type) {
    return driver.createOutputTopic(
        topic, Serdes.String().deserializer(), AvroSerdes.value(type, registry).deserializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private void send(InferenceResponse response) {
    responses.pipeInput(
        response.getRequestId(), serializer.serialize(topics.responses(), response), T0);
  }

  @Test
  void shouldRouteEachResponseByTheFirstMatchingRuleOrTheDefault() {
    send(response("ok", "news", 0.95f).build());
    send(response("spam", "spam", 0.97f).build());
    send(response("unsure", "news", 0.51f).build());
    send(
        response("failed", "news", 0.9f)
            .setStatus(ResponseStatus.FAILED)
            .setLabels(List.of())
            .build());

    assertThat(approved.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("ok");
    assertThat(blocked.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("spam");
    assertThat(review.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly("unsure", "failed");
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldWriteOneAuditRecordPerResponseWithHashesAndEveryRuleOutcome() {
    InferenceResponse response = response("spam", "spam", 0.97f).build();
    driver.advanceWallClockTime(java.time.Duration.ofSeconds(5));
    send(response);

    List<AuditRecord> records = audit.readValuesToList();

    assertThat(records).hasSize(1);
    AuditRecord record = records.get(0);
    assertThat(record.getRequestId()).isEqualTo("spam");
    assertThat(record.getInputSha256()).isEqualTo(response.getInputSha256());
    assertThat(record.getOutputSha256()).isEqualTo(OutputDigest.sha256(response));
    assertThat(record.getModelVersion()).isEqualTo("v1");
    assertThat(record.getExperts()).isEqualTo(response.getExperts());
    assertThat(record.getDecision()).isEqualTo(ComplianceDecision.BLOCKED);
    assertThat(record.getDecidingRule()).isEqualTo("block-confident-spam");
    assertThat(record.getRuleOutcomes())
        .extracting(RuleOutcome::getRuleId, RuleOutcome::getMatched)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("failed-or-expired", false),
            org.assertj.core.groups.Tuple.tuple("block-confident-spam", true),
            org.assertj.core.groups.Tuple.tuple("low-confidence", false));
    assertThat(record.getAuditedAt()).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void shouldNameNoRuleWhenTheDefaultDecides() {
    send(response("ok", "news", 0.95f).build());

    assertThat(audit.readValue().getDecidingRule()).isNull();
  }

  @Test
  void shouldDeadLetterUndecodableResponses() {
    byte[] junk = "not avro".getBytes(StandardCharsets.UTF_8);
    responses.pipeInput("r9", junk, T0);

    DeadLetter letter = deadLetters.readValue();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    assertThat(letter.getStage()).isEqualTo("compliance");
    assertThat(letter.getRequestId()).isEqualTo("r9");
    assertThat(letter.getOriginalValue().array()).isEqualTo(junk);
    assertThat(audit.isEmpty()).isTrue();
  }
}
