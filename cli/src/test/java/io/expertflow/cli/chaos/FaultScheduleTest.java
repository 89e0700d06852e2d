package io.expertflow.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

  @Test
  void shouldParseKindsAndCounts() {
    assertThat(FaultSchedule.parseCounts("worker-kill:3, broker-kill:2,worker-kill:1"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(FaultKind.WORKER_KILL, 4, FaultKind.BROKER_KILL, 2));
  }

  @Test
  void shouldNameTheWrongPartOfASpec() {
    assertThatThrownBy(() -> FaultSchedule.parseCounts("worker-kill"))
        .hasMessageContaining("'worker-kill' is not kind:count");
    assertThatThrownBy(() -> FaultSchedule.parseCounts("disk-full:1"))
        .hasMessageContaining("unknown fault kind 'disk-full'")
        .hasMessageContaining("registry-down");
    assertThatThrownBy(() -> FaultSchedule.parseCounts("worker-kill:x"))
        .hasMessageContaining("not a number");
  }

  @Test
  void shouldSpreadFaultsOverTheMiddleOfTheRunWithKindsTakingTurns() {
    FaultSchedule schedule =
        FaultSchedule.spread(
            Map.of(FaultKind.WORKER_KILL, 2, FaultKind.REGISTRY_DOWN, 2), Duration.ofSeconds(100));

    assertThat(schedule.faults())
        .extracting(FaultSchedule.Planned::kind)
        .containsExactly(
            FaultKind.WORKER_KILL,
            FaultKind.REGISTRY_DOWN,
            FaultKind.WORKER_KILL,
            FaultKind.REGISTRY_DOWN);
    assertThat(schedule.faults())
        .extracting(FaultSchedule.Planned::at)
        .containsExactly(
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(50),
            Duration.ofSeconds(70));
  }
}
