package io.expertflow.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ChaosReportTest {

  /** 10 outcomes a second while the load runs (0 to 99 s), then a drain that tails off. */
  private static ThroughputTimeline loadThenDrain() {
    ThroughputTimeline t = new ThroughputTimeline();
    for (int s = 0; s < 100; s++) {
      for (int i = 0; i < 10; i++) {
        t.count(s);
      }
    }
    t.count(100);
    t.count(101);
    return t;
  }

  private static FaultInjector.Applied fault(FaultKind kind, int second) {
    return new FaultInjector.Applied(kind, "w-1", second, Duration.ofSeconds(5));
  }

  @Test
  void shouldNotTakeTheEndOfTheLoadForADip() {
    List<ChaosReport.FaultEffect> effects =
        ChaosReport.effects(List.of(fault(FaultKind.WORKER_KILL, 90)), loadThenDrain(), 100);

    assertThat(effects.get(0).judged()).isTrue();
    assertThat(effects.get(0).effect().recoveredAfterS()).isEqualTo(OptionalLong.of(0));
  }

  @Test
  void shouldNotJudgeAFaultAppliedAfterTheLoadAndSaySo() {
    List<ChaosReport.FaultEffect> effects =
        ChaosReport.effects(
            List.of(fault(FaultKind.WORKER_KILL, 50), fault(FaultKind.WORKER_KILL, 100)),
            loadThenDrain(),
            100);
    StringWriter text = new StringWriter();

    ChaosReport.printFaults(effects, new PrintWriter(text, true));

    assertThat(effects).extracting(ChaosReport.FaultEffect::judged).containsExactly(true, false);
    assertThat(text.toString())
        .contains("1 not judged (applied after the load)")
        .doesNotContain("not back")
        .doesNotContain("no rate before it");
  }
}
