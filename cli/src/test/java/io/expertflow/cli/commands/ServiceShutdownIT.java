package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.local.FreePorts;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.ReplayReservoir;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import io.expertflow.updater.UpdaterBundle;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code expertflow worker}, {@code updater} and {@code streams} as real processes on the local
 * broker and registry: SIGTERM stops each once, quickly, with status 0 and no error printed.
 */
@WithLocalStack
class ServiceShutdownIT {
  static final Duration STOP_LIMIT = Duration.ofSeconds(15);

  @TempDir Path dir;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    children.forEach(Process::destroyForcibly);
  }

  @Test
  void shouldStopAnIdleWorkerOnSigtermWithStatusZeroAndNoError(LocalStack stack) throws Exception {
    TopicCatalog topics = stack.isolatedTopics("ServiceShutdownIT-worker");
    Path bundle = dir.resolve("bundle");
    ModelBundles.tiny(bundle, List.of("a", "b", "c"));

    int port = FreePorts.pick();
    Path log =
        start(
            "worker",
            "--http-port",
            String.valueOf(port),
            "--bundle",
            bundle.toString(),
            "-b",
            stack.bootstrapServers(),
            "-r",
            stack.schemaRegistryUrl(),
            "--topic-prefix",
            topics.prefix(),
            "--worker-id",
            "shutdown-it",
            "--engine",
            "cpu");

    awaitReady(log, "worker shutdown-it on");
    // idle and in its group: /readyz answers 200 once the worker has joined and takes work
    await().atMost(Duration.ofSeconds(60)).until(() -> ready(port));
    assertStopsCleanlyOnSigterm(log);
  }

  @Test
  void shouldStopTheStreamsAppOnSigtermWithStatusZeroAndNoError(LocalStack stack) throws Exception {
    TopicCatalog topics = stack.isolatedTopics("ServiceShutdownIT-streams");

    Path log =
        start(
            "streams",
            "-b",
            stack.bootstrapServers(),
            "-r",
            stack.schemaRegistryUrl(),
            "--topic-prefix",
            topics.prefix(),
            "--application-id",
            "shutdown-it-" + System.nanoTime(),
            "--state-dir",
            dir.resolve("state").toString(),
            "--http-port",
            "0",
            "--set",
            "streams.replication.factor=1");

    awaitReady(log, "streams app running");
    assertStopsCleanlyOnSigterm(log);
  }

  @Test
  void shouldStopTheUpdaterOnSigtermWithStatusZeroAndNoError(LocalStack stack) throws Exception {
    TopicCatalog topics = stack.isolatedTopics("ServiceShutdownIT-updater");
    Path run = trainingOutput(dir.resolve("run"));

    Path log =
        start(
            "updater",
            "--bundle",
            run.toString(),
            "-b",
            stack.bootstrapServers(),
            "-r",
            stack.schemaRegistryUrl(),
            "--topic-prefix",
            topics.prefix());

    awaitReady(log, "updater of");
    assertStopsCleanlyOnSigterm(log);
  }

  /** What 'expertflow train --out DIR' leaves: the bundle, a replay reservoir, a guard set. */
  private static Path trainingOutput(Path run) throws IOException {
    List<String> labels = List.of("press", "learned", "fiction", "other");
    ModelBundle bundle = ModelBundles.tiny(run.resolve(UpdaterBundle.MODEL_DIR), labels);
    MoeHeadWeights head = bundle.readHeadWeights();
    Random random = new Random(3);
    List<LabeledEmbedding> samples = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      float[] e = new float[head.config().hidden()];
      for (int j = 0; j < e.length; j++) {
        e[j] = (float) random.nextGaussian();
      }
      samples.add(new LabeledEmbedding(e, i % labels.size()));
    }
    try (OutputStream out = Files.newOutputStream(run.resolve(UpdaterBundle.RESERVOIR_FILE))) {
      ReplayReservoir.of(head, samples, 8, 1L).writeTo(out);
    }
    try (OutputStream out = Files.newOutputStream(run.resolve(UpdaterBundle.GUARD_SET_FILE))) {
      new GuardSet(labels, head.config().hidden(), samples.subList(0, 20)).writeTo(out);
    }
    return run;
  }

  private void awaitReady(Path log, String readyLine) throws IOException {
    Process p = children.get(children.size() - 1);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> !p.isAlive() || Files.readString(log).contains(readyLine));
    assertThat(p.isAlive()).as("still running; output:%n%s", Files.readString(log)).isTrue();
  }

  private void assertStopsCleanlyOnSigterm(Path log) throws Exception {
    Process p = children.get(children.size() - 1);
    long start = System.nanoTime();
    p.destroy(); // SIGTERM on Linux
    boolean exited = p.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    String output = Files.readString(log);
    assertThat(exited).as("exited within %s; output:%n%s", STOP_LIMIT, output).isTrue();
    assertThat(p.exitValue()).as("exit status after %s; output:%n%s", took, output).isZero();
    assertThat(output.lines().filter(l -> l.toLowerCase(Locale.ROOT).contains("error")))
        .as("lines with 'error' in the output")
        .isEmpty();
  }

  private static boolean ready(int port) {
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + "/readyz").toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(1000);
      return c.getResponseCode() == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  private Path start(String... args) throws IOException {
    Path log = dir.resolve(args[0] + ".log");
    children.add(CliProcess.start(dir, log, args));
    return log;
  }
}
