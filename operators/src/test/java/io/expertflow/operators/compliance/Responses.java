package io.expertflow.operators.compliance;

import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.LabelScore;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.avro.Timings;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Response fixtures for rule tests. */
final class Responses {
  private Responses() {}

  static InferenceResponse.Builder ok(String topLabel, float topScore) {
    return InferenceResponse.newBuilder()
        .setRequestId("r1")
        .setDocumentId("d1")
        .setTenant("acme")
        .setStatus(ResponseStatus.OK)
        .setLabels(
            List.of(new LabelScore(topLabel, topScore), new LabelScore("other", 1 - topScore)))
        .setExperts(List.of(new ExpertGate(17, 0.7f), new ExpertGate(3, 0.3f)))
        .setModelName("minilm-moe")
        .setModelVersion("v1")
        .setInputSha256("ab")
        .setTimings(new Timings(1L, 2L, 3L, 6L))
        .setWorkerId("w1")
        .setProducedAt(Instant.ofEpochMilli(1_000))
        .setAttributes(Map.of("channel", "email"));
  }

  static InferenceResponse failed() {
    return ok("x", 1f).setStatus(ResponseStatus.FAILED).setLabels(List.of()).build();
  }
}
