package io.expertflow.schemas;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.ExpertWeights;
import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.LabelConfusion;
import io.expertflow.avro.LabelScore;
import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.avro.NamedTensor;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.avro.RuleOutcome;
import io.expertflow.avro.Timings;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated instance of every record type, for round-trip tests. */
public final class SampleRecords {
  private static final Instant T = Instant.parse("2026-11-02T10:15:30Z");

  private SampleRecords() {}

  public static InferenceRequest request(String id) {
    return InferenceRequest.newBuilder()
        .setRequestId(id)
        .setDocumentId("doc-" + id)
        .setTenant("acme")
        .setText("Café naïve résumé — 自然语言 🙂")
        .setPriority(3)
        .setDeadline(T.plusSeconds(60))
        .setSubmittedAt(T)
        .setAttributes(Map.of("source", "mail"))
        .build();
  }

  public static List<SpecificRecord> all() {
    List<ExpertGate> experts = List.of(new ExpertGate(17, 0.7f), new ExpertGate(3, 0.3f));
    InferenceResponse response =
        InferenceResponse.newBuilder()
            .setRequestId("r1")
            .setDocumentId("d1")
            .setTenant("acme")
            .setStatus(ResponseStatus.OK)
            .setLabels(List.of(new LabelScore("news", 0.9f), new LabelScore("spam", 0.1f)))
            .setExperts(experts)
            .setDomainExpert(4)
            .setModelName("minilm-moe")
            .setModelVersion("v2")
            .setEmbedding(List.of(0.1f, -0.2f))
            .setInputSha256("ab".repeat(32))
            .setChunkCount(2)
            .setTimings(new Timings(1L, 2L, 3L, 6L))
            .setWorkerId("w-1")
            .setProducedAt(T)
            .build();
    DeadLetter deadLetter =
        DeadLetter.newBuilder()
            .setRequestId("r2")
            .setReason(DeadLetterReason.EMPTY_TEXT)
            .setDetail("text is empty")
            .setStage("intake")
            .setSourceTopic("expertflow.requests.inbound")
            .setSourcePartition(1)
            .setSourceOffset(42L)
            .setOriginalValue(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 2}))
            .setFailedAt(T)
            .build();
    AuditRecord audit =
        AuditRecord.newBuilder()
            .setRequestId("r1")
            .setDocumentId("d1")
            .setTenant("acme")
            .setInputSha256("ab".repeat(32))
            .setOutputSha256("cd".repeat(32))
            .setModelName("minilm-moe")
            .setModelVersion("v2")
            .setExperts(experts)
            .setDecision(ComplianceDecision.REVIEW)
            .setDecidingRule("low-confidence")
            .setRuleOutcomes(
                List.of(new RuleOutcome("low-confidence", true, ComplianceDecision.REVIEW)))
            .setAuditedAt(T)
            .build();
    FeedbackEvent feedback =
        FeedbackEvent.newBuilder()
            .setFeedbackId("f1")
            .setRequestId("r1")
            .setRating(-1)
            .setCorrectedLabel("spam")
            .setEventTime(T)
            .build();
    AttributedFeedback attributed =
        AttributedFeedback.newBuilder()
            .setFeedbackId("f1")
            .setRequestId("r1")
            .setExpert(17)
            .setGateWeight(0.7f)
            .setModelVersion("v2")
            .setPredictedLabel("news")
            .setCorrectedLabel("spam")
            .setRating(-1)
            .setNegative(true)
            .setEmbedding(List.of(0.1f, -0.2f))
            .setEventTime(T)
            .build();
    ExpertWindowStats stats =
        ExpertWindowStats.newBuilder()
            .setExpert(17)
            .setWindowStart(T)
            .setWindowEnd(T.plusSeconds(7 * 86400))
            .setCount(10)
            .setNegatives(4)
            .setNegativeRate(0.4)
            .setConfusion(List.of(new LabelConfusion("news", "spam", 4L)))
            .setModelVersions(List.of("v2"))
            .build();
    ExpertWeights weights =
        ExpertWeights.newBuilder()
            .setModelName("minilm-moe")
            .setModelVersion("v3")
            .setExpert(17)
            .setTensors(
                List.of(
                    new NamedTensor(
                        "expert.17.b2",
                        List.of(2),
                        ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0, 0, -128, 63}))))
            .setSha256("ef".repeat(32))
            .build();
    ModelVersion version =
        ModelVersion.newBuilder()
            .setModelName("minilm-moe")
            .setVersion("v3")
            .setParentVersion("v2")
            .setBaseBundleSha256("01".repeat(32))
            .setState(ModelVersionState.PUBLISHED)
            .setChangedExperts(List.of(17))
            .setExpertVersions(Map.of("17", "v3"))
            .setParametersChanged(418)
            .setParametersTotal(1_700_000)
            .setMetricsBefore(Map.of("guard_accuracy", 0.73))
            .setMetricsAfter(Map.of("guard_accuracy", 0.729))
            .setCreatedAt(T)
            .build();
    return List.of(
        request("r1"), response, deadLetter, audit, feedback, attributed, stats, weights, version);
  }
}
