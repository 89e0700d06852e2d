package io.expertflow.operators.feedback;

import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.LabelScore;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.avro.Timings;
import java.time.Instant;
import java.util.List;

final class FeedbackFixtures {
  private FeedbackFixtures() {}

  static FeedbackEvent.Builder feedback() {
    return FeedbackEvent.newBuilder()
        .setFeedbackId("f1")
        .setRequestId("r1")
        .setRating(1)
        .setEventTime(Instant.ofEpochMilli(1_000));
  }

  static InferenceResponse response() {
    return InferenceResponse.newBuilder()
        .setRequestId("r1")
        .setDocumentId("d1")
        .setTenant("acme")
        .setStatus(ResponseStatus.OK)
        .setLabels(List.of(new LabelScore("news", 0.8f), new LabelScore("spam", 0.2f)))
        .setExperts(List.of(new ExpertGate(17, 0.7f), new ExpertGate(3, 0.3f)))
        .setDomainExpert(4)
        .setModelName("m")
        .setModelVersion("v1")
        .setEmbedding(List.of(0.6f, 0.8f))
        .setTimings(new Timings(0L, 0L, 0L, 0L))
        .setWorkerId("w")
        .setProducedAt(Instant.ofEpochMilli(500))
        .build();
  }
}
