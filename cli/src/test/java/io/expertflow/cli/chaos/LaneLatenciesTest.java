package io.expertflow.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LaneLatenciesTest {
  private static final long MS = 1_000_000L;

  @Test
  void shouldSummariseEachLaneApart() {
    LaneLatencies l = new LaneLatencies();
    for (int i = 1; i <= 100; i++) {
      l.answered(LaneLatencies.Lane.HIGH, i * 10 * MS); // 10 .. 1000 ms
      l.answered(LaneLatencies.Lane.LOW, i * 100 * MS); // 100 .. 10000 ms
    }
    l.unanswered(LaneLatencies.Lane.LOW);
    l.outcome(LaneLatencies.Lane.LOW, true, false);
    l.outcome(LaneLatencies.Lane.LOW, false, true);
    l.outcome(LaneLatencies.Lane.HIGH, false, false);

    LaneLatencies.Summary high = l.of(LaneLatencies.Lane.HIGH);
    LaneLatencies.Summary low = l.of(LaneLatencies.Lane.LOW);

    assertThat(high.count()).isEqualTo(100);
    assertThat(high.p50Ms()).isBetween(499L, 501L);
    assertThat(high.p99Ms()).isBetween(989L, 991L);
    assertThat(high.maxMs()).isBetween(999L, 1001L);
    assertThat(low.p99Ms()).isBetween(9890L, 9910L);
    assertThat(low.unanswered()).isEqualTo(1);
    assertThat(low.expired()).isEqualTo(1);
    assertThat(low.deadLettered()).isEqualTo(1);
    assertThat(high.expired()).isZero();
    assertThat(l.overall().expired()).isEqualTo(1);
    assertThat(l.overall().count()).isEqualTo(200);
    assertThat(l.overall().unanswered()).isEqualTo(1);
    assertThat(l.of(LaneLatencies.Lane.STEADY).count()).isZero();
  }

  @Test
  void shouldJudgeTheHighLanesP99AgainstItsBound() {
    LaneLatencies l = new LaneLatencies();
    for (int i = 0; i < 99; i++) {
      l.answered(LaneLatencies.Lane.HIGH, 100 * MS);
    }
    l.answered(LaneLatencies.Lane.HIGH, 60_000 * MS); // one in a hundred may be slow
    l.answered(LaneLatencies.Lane.LOW, 60_000 * MS); // the low lane does not count

    StringWriter text = new StringWriter();
    l.print(Duration.ofSeconds(1), new PrintWriter(text, true));

    assertThat(l.withinBound(Duration.ofSeconds(1))).isTrue();
    assertThat(l.withinBound(Duration.ofMillis(50))).isFalse();
    assertThat(text.toString()).contains("high-priority p99 100 ms, bound 1000 ms: held");
  }

  @Test
  void shouldPutEachSubmittedRequestInItsLane() {
    assertThat(LaneLatencies.Lane.of(new OpenLoopLoad.Submitted("a", 0, 0, 9, true)))
        .isEqualTo(LaneLatencies.Lane.HIGH);
    assertThat(LaneLatencies.Lane.of(new OpenLoopLoad.Submitted("b", 0, 0, 0, true)))
        .isEqualTo(LaneLatencies.Lane.LOW);
    assertThat(LaneLatencies.Lane.of(new OpenLoopLoad.Submitted("c", 0, 0, 0, false)))
        .isEqualTo(LaneLatencies.Lane.STEADY);
  }
}
