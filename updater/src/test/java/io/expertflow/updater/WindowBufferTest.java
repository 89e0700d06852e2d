package io.expertflow.updater;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ExpertWindowStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowBufferTest {
  private static final Instant START = Instant.parse("2024-06-03T00:00:00Z");
  private static final Instant END = START.plus(Duration.ofDays(7));
  private static final Instant NOW = Instant.parse("2024-06-10T01:00:00Z");

  private final WindowBuffer buffer =
      new WindowBuffer(Duration.ofSeconds(5), Duration.ofSeconds(60));

  @Test
  void shouldWaitUntilTheStatisticsSettleAndEveryCountedFeedbackRecordArrived() {
    buffer.addStats(stats(1, 2), NOW);
    buffer.addFeedback(feedback("f1", 1, START.plusSeconds(10)));

    assertThat(buffer.ready(NOW.plusSeconds(4))).isEmpty();
    assertThat(buffer.ready(NOW.plusSeconds(6))).as("one of two records").isEmpty();

    buffer.addFeedback(feedback("f2", 1, START.plusSeconds(20)));
    assertThat(buffer.ready(NOW.plusSeconds(6))).contains(START);
  }

  @Test
  void shouldGiveUpWaitingForMissingFeedbackAfterMaxWait() {
    buffer.addStats(stats(1, 5), NOW);

    assertThat(buffer.ready(NOW.plusSeconds(59))).isEmpty();
    assertThat(buffer.ready(NOW.plusSeconds(60))).contains(START);
  }

  @Test
  void shouldHandOverTheWindowsFeedbackAndKeepLaterFeedback() {
    buffer.addStats(stats(1, 1), NOW);
    buffer.addFeedback(feedback("in", 1, START));
    buffer.addFeedback(feedback("next", 1, END));

    WindowBuffer.ClosedWindow w = buffer.take(START);

    assertThat(w.feedback()).extracting(AttributedFeedback::getFeedbackId).containsExactly("in");
    assertThat(w.stats()).hasSize(1);
    assertThat(buffer.bufferedFeedback()).isEqualTo(1);
    buffer.addFeedback(feedback("late", 1, START.plusSeconds(1)));
    assertThat(buffer.bufferedFeedback()).as("late feedback of a done window").isEqualTo(1);
  }

  private static ExpertWindowStats stats(int expert, long count) {
    return ExpertWindowStats.newBuilder()
        .setExpert(expert)
        .setWindowStart(START)
        .setWindowEnd(END)
        .setCount(count)
        .setNegatives(count)
        .setNegativeRate(1.0)
        .build();
  }

  private static AttributedFeedback feedback(String id, int expert, Instant at) {
    return AttributedFeedback.newBuilder()
        .setFeedbackId(id)
        .setRequestId(id)
        .setExpert(expert)
        .setGateWeight(1f)
        .setModelVersion("v")
        .setPredictedLabel("x")
        .setNegative(true)
        .setEmbedding(List.of())
        .setEventTime(at)
        .build();
  }
}
