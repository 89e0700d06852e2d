package io.expertflow.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code expertflow chaos} with small numbers on the test stack: two exactly-once workers and the
 * streams app as child JVMs, a steady load, a worker SIGKILLed twice, the streams app SIGKILLed
 * once, a burst of ten times the rate for 3 s (a tenth at priority 9, the rest at priority 0 with a
 * deadline too short to meet), the registry away for 30 s and the updater SIGKILLed while it
 * publishes a version (after the tensors; it must finish the version once started again, and every
 * worker serve it); every request must end as exactly one outcome with one audit record, some
 * low-priority burst requests must be answered EXPIRED, the high-priority ones within the p99
 * bound, and the status API must say ANSWERED for a sample of them. Broker faults and network cuts
 * need a Kafka the command starts itself, so they are not in this test.
 */
@WithLocalStack
class ChaosIT {

  @Test
  void shouldAnswerEveryRequestExactlyOnceThroughWorkerStreamsAndRegistryFaults(
      LocalStack stack, @TempDir Path dir) {
    ChaosCommand chaos = new ChaosCommand();
    StringWriter text = new StringWriter();
    CommandLine command = new CommandLine(chaos);
    command.setOut(new PrintWriter(text, true));

    int rc =
        command.execute(
            "-b",
            stack.bootstrapServers(),
            "-r",
            stack.schemaRegistryUrl(),
            "--requests",
            "2000",
            "--rate",
            "40",
            "--faults",
            "worker-kill:2,streams-kill:1,registry-down:1,burst:1,updater-kill:1",
            "--burst-seconds",
            "3",
            "--burst-low-deadline",
            "PT0.1S",
            "--run-dir",
            dir.toString());
    System.out.print(text);

    assertThat(rc).as(text.toString()).isZero();
    Reconciliation result = chaos.lastResult;
    assertThat(chaos.lastSent).isGreaterThan(2000); // the steady load and the burst's extra
    assertThat(result.submitted()).isEqualTo(chaos.lastSent + 20); // and the warm-up
    assertThat(result.lost()).as(result.summary()).isZero();
    assertThat(result.duplicated()).as(result.summary()).isZero();
    assertThat(result.answeredOnce()).isEqualTo(result.submitted());
    assertThat(result.responsesWithoutAudit()).as(result.summary()).isZero();
    assertThat(result.surplusAudits()).as(result.summary()).isZero();
    assertThat(result.unknown()).isZero();
    assertThat(chaos.lastFaults)
        .extracting(FaultInjector.Applied::kind)
        .containsExactlyInAnyOrder(
            FaultKind.WORKER_KILL,
            FaultKind.WORKER_KILL,
            FaultKind.STREAMS_KILL,
            FaultKind.BURST,
            FaultKind.REGISTRY_DOWN,
            FaultKind.UPDATER_KILL);
    // the updater, killed after the tensors of a version, finished it once started again
    assertThat(chaos.lastFaults)
        .filteredOn(f -> f.kind() == FaultKind.UPDATER_KILL)
        .extracting(FaultInjector.Applied::target)
        .singleElement(InstanceOfAssertFactories.STRING)
        .as(text.toString())
        .startsWith("updater, killed after the tensors of u")
        .contains("served by every worker");
    assertThat(chaos.lastFaults)
        .filteredOn(f -> f.kind() == FaultKind.BURST)
        .extracting(FaultInjector.Applied::target)
        .containsExactly("x10, 3 s"); // applied while the load ran
    LaneLatencies.Summary low = chaos.lastLatencies.of(LaneLatencies.Lane.LOW);
    LaneLatencies.Summary high = chaos.lastLatencies.of(LaneLatencies.Lane.HIGH);
    // the burst sheds low-priority requests: answered EXPIRED by a worker, or, on a machine too
    // busy to take them in within their 0.1 s, dead-lettered at intake with their deadline passed
    assertThat(low.expired() + low.deadLettered()).as(text.toString()).isPositive();
    assertThat(high.count()).as(text.toString()).isPositive();
    assertThat(high.expired() + high.deadLettered() + high.unanswered()).isZero();
    assertThat(chaos.lastLatencies.withinBound(Duration.ofSeconds(5))).as(text.toString()).isTrue();
    assertThat(chaos.lastMemoryHeld).as(text.toString()).isTrue();
    assertThat(text.toString()).contains("exactly_once mode: lost 0, duplicated 0 -> ok");
    assertThat(chaos.lastStatus.agreeing()).as(text.toString()).isEqualTo(chaos.lastStatus.asked());
    assertThat(chaos.lastStatus.asked()).isEqualTo(200);
  }
}
