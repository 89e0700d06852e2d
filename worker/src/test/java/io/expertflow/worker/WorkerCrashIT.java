package io.expertflow.worker;

import static io.expertflow.worker.DeliveryChecks.awaitOutcomes;
import static io.expertflow.worker.DeliveryChecks.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exactly-once worker in a child JVM, killed with SIGKILL twice mid-stream and restarted under
 * the same worker id: the restart fences the dead incarnation's transaction, and a read_committed
 * reader sees exactly one response per request in the end.
 */
@WithLocalStack
class WorkerCrashIT {
  private static final String WORKER_ID = "crash-worker";
  private static final Path LOGS = Path.of("target", "worker-crash-it");

  @TempDir Path bundleDir;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    children.forEach(Process::destroyForcibly);
  }

  @Test
  void shouldAnswerEveryRequestExactlyOnceAcrossTwoKillsOfTheWorker(LocalStack stack)
      throws Exception {
    ModelBundles.tiny(bundleDir, WorkerUnderTest.LABELS);
    TopicCatalog topics = stack.isolatedTopics("WorkerCrashIT");
    int count = 6_000;
    List<String> ids = new ArrayList<>(count);
    try (RequestFeed feed = new RequestFeed(stack, topics)) {
      for (int i = 0; i < count; i++) {
        InferenceRequest r = Requests.document("crash-" + i, i);
        ids.add(r.getRequestId());
        feed.send(r);
      }
      feed.flush();
    }
    long start = System.nanoTime();
    try (OutcomeLedger ledger = new OutcomeLedger(stack, topics)) {
      Process first = startWorker(stack, topics, 1);
      awaitOutcomes(ledger, count / 10);
      Instant firstKill = kill(first);
      int atFirstKill = ledger.poll().answered();

      Process second = startWorker(stack, topics, 2);
      awaitOutcomes(ledger, count / 2);
      Instant secondKill = kill(second);
      int atSecondKill = ledger.poll().answered();

      Process third = startWorker(stack, topics, 3);
      awaitOutcomes(ledger, count);
      long answeredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      third.destroy(); // SIGTERM: a graceful stop
      assertThat(third.waitFor(60, TimeUnit.SECONDS)).as("worker stopped on SIGTERM").isTrue();
      ledger.readToEnd(Duration.ofMinutes(2));

      assertThat(ledger.unanswered(ids)).as("requests without a response").isEmpty();
      assertThat(ledger.duplicates()).as("requests answered more than once").isEmpty();
      assertThat(ledger.responses()).hasSize(count);
      assertThat(ledger.deadLetters()).isEmpty();
      // both kills hit a worker with work left: responses were produced after each of them
      assertThat(producedAfter(ledger, firstKill)).isPositive();
      assertThat(producedAfter(ledger, secondKill)).isPositive();
      assertThat(producedAfter(ledger, secondKill)).isLessThan(count);
      report(
          "crash: %d requests -> %d responses, %d distinct, %d duplicates, %d dead letters;"
              + " SIGKILL at >= %d and >= %d answers (%d and %d responses produced after them);"
              + " all answered after %d ms, third incarnation exited %d on SIGTERM",
          count,
          ledger.responses().size(),
          ledger.answered(),
          ledger.duplicates().size(),
          ledger.deadLetters().size(),
          atFirstKill,
          atSecondKill,
          producedAfter(ledger, firstKill),
          producedAfter(ledger, secondKill),
          answeredMs,
          third.exitValue());
    }
  }

  private Process startWorker(LocalStack stack, TopicCatalog topics, int incarnation)
      throws IOException {
    Files.createDirectories(LOGS);
    Path log = LOGS.resolve("incarnation-" + incarnation + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                WorkerProcess.class.getName(),
                stack.bootstrapServers(),
                stack.schemaRegistryUrl(),
                topics.prefix(),
                bundleDir.toString(),
                WORKER_ID)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    children.add(p);
    return p;
  }

  /** SIGKILL (on Linux {@link Process#destroyForcibly()} sends it): no drain, no commit. */
  private static Instant kill(Process p) throws InterruptedException {
    Instant at = Instant.now();
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("worker gone after SIGKILL").isTrue();
    assertThat(p.exitValue()).as("exit status of a SIGKILLed process").isEqualTo(128 + 9);
    return at;
  }

  private static long producedAfter(OutcomeLedger ledger, Instant at) {
    return ledger.responses().stream().filter(r -> r.getProducedAt().isAfter(at)).count();
  }
}
