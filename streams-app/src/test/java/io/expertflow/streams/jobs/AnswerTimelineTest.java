package io.expertflow.streams.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerTimelineTest {

  @Test
  void shouldCountAnswersPerSecondWhileTheJobIsShort() {
    AnswerTimeline t =
        AnswerTimeline.one(10_100)
            .combine(AnswerTimeline.one(10_900), 1)
            .combine(AnswerTimeline.one(12_000), 1);

    assertThat(t.bucketMillis()).isEqualTo(1_000);
    assertThat(t.counts()).containsExactly(Map.entry(10_000L, 2L), Map.entry(12_000L, 1L));
  }

  @Test
  void shouldDoubleTheBucketWidthInsteadOfKeepingMoreThanTheMostBuckets() {
    AnswerTimeline t = AnswerTimeline.empty();
    for (int second = 0; second < 1_000; second++) {
      t = t.combine(AnswerTimeline.one(second * 1_000L), 1);
    }

    assertThat(t.bucketMillis()).isEqualTo(16_000);
    assertThat(t.counts().size()).isLessThanOrEqualTo(AnswerTimeline.MAX_BUCKETS);
    assertThat(t.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1_000);
  }

  @Test
  void shouldTakeBackAnAnswerThatMovedAndDropEmptyBuckets() {
    AnswerTimeline t = AnswerTimeline.one(5_000).combine(AnswerTimeline.one(7_000), 1);

    AnswerTimeline moved =
        t.combine(AnswerTimeline.one(7_000), -1).combine(AnswerTimeline.one(9_000), 1);

    assertThat(moved.counts()).containsExactly(Map.entry(5_000L, 1L), Map.entry(9_000L, 1L));
  }
}
