package io.expertflow.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ThroughputTimelineTest {

  private static ThroughputTimeline steady(int seconds, int perSecond) {
    ThroughputTimeline t = new ThroughputTimeline();
    for (int s = 0; s < seconds; s++) {
      for (int i = 0; i < perSecond; i++) {
        t.count(s);
      }
    }
    return t;
  }

  @Test
  void shouldMeasureRecoveryFromTheFaultToTheFirstSecondBackAtEightyPercent() {
    ThroughputTimeline t = steady(20, 10);
    for (int s = 20; s < 40; s++) {
      int n = s < 23 ? 10 : s < 27 ? 2 : s == 27 ? 7 : 10; // dips at 23, back to 8+ at 28
      for (int i = 0; i < n; i++) {
        t.count(s);
      }
    }

    ThroughputTimeline.Effect effect = t.effect(20, 40);

    assertThat(effect.baseline()).isEqualTo(10.0);
    assertThat(effect.recoveredAfterS()).isEqualTo(OptionalLong.of(8));
    assertThat(effect.dip()).isEqualTo(0.2);
  }

  @Test
  void shouldCountAFaultWithoutADipAsRecoveredAtOnce() {
    ThroughputTimeline.Effect effect = steady(40, 10).effect(20, 40);

    assertThat(effect.recoveredAfterS()).isEqualTo(OptionalLong.of(0));
    assertThat(effect.dip()).isEqualTo(1.0);
  }

  @Test
  void shouldSayWhenTheRateNeverCameBack() {
    ThroughputTimeline t = steady(20, 10);

    ThroughputTimeline.Effect effect = t.effect(20, 30);

    assertThat(effect.recoveredAfterS()).isEmpty();
    assertThat(effect.dip()).isZero();
  }
}
