package io.expertflow.operators.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.avro.LabelConfusion;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpertStatsAggregatorTest {

  private static AttributedFeedback fb(boolean negative, String corrected, String version) {
    return AttributedFeedback.newBuilder()
        .setFeedbackId("f")
        .setRequestId("r")
        .setExpert(17)
        .setGateWeight(0.5f)
        .setModelVersion(version)
        .setPredictedLabel("news")
        .setCorrectedLabel(corrected)
        .setNegative(negative)
        .setEventTime(Instant.ofEpochMilli(1))
        .build();
  }

  @Test
  void shouldCountNegativesGateWeightConfusionAndVersions() {
    ExpertWindowStats stats = ExpertStatsAggregator.empty();
    stats = ExpertStatsAggregator.add(stats, fb(true, "spam", "v2"));
    stats = ExpertStatsAggregator.add(stats, fb(true, "spam", "v1"));
    stats = ExpertStatsAggregator.add(stats, fb(false, null, "v1"));
    stats = ExpertStatsAggregator.add(stats, fb(false, "news", "v1"));

    ExpertWindowStats closed = ExpertStatsAggregator.close(stats, 17, 0L, 7L);

    assertThat(closed.getCount()).isEqualTo(4);
    assertThat(closed.getNegatives()).isEqualTo(2);
    assertThat(closed.getNegativeRate()).isEqualTo(0.5);
    assertThat(closed.getGateWeightSum()).isEqualTo(2.0);
    assertThat(closed.getConfusion())
        .containsExactly(
            new LabelConfusion("news", "news", 1L), new LabelConfusion("news", "spam", 2L));
    assertThat(closed.getModelVersions()).containsExactly("v1", "v2");
    assertThat(closed.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(7));
  }

  @Test
  void shouldNotChangeTheAggregateItWasGiven() {
    ExpertWindowStats empty = ExpertStatsAggregator.empty();

    ExpertStatsAggregator.add(empty, fb(true, "spam", "v1"));

    assertThat(empty.getCount()).isZero();
    assertThat(empty.getConfusion()).isEmpty();
  }
}
