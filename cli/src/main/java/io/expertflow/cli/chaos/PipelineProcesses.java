package io.expertflow.cli.chaos;

import io.expertflow.cli.Expertflow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The workers, the streams app and the updater of a chaos run, each an {@code expertflow worker},
 * {@code expertflow streams} or {@code expertflow updater} child JVM of this one, so a fault can
 * SIGKILL it ({@link Process#destroyForcibly}) and start it again with the same id (a worker's
 * transactional id follows its id, so the new one fences the dead one's open transaction). Each
 * child's output goes to {@code <dir>/<name>.log}, appended across restarts. A JVM shutdown hook
 * kills what is left.
 *
 * <p>Thread-safe: the fault thread and the run's thread may both call it.
 */
public final class PipelineProcesses implements AutoCloseable {

  /** Where and how the children run. */
  public record Settings(
      Path dir,
      Path bundle,
      String bootstrap,
      String registryUrl,
      String topicPrefix,
      String runId,
      String deliveryMode,
      int statusPort,
      boolean streamsStaticMembership,
      Path commandConfig,
      List<String> workerSettings) {}

  private final Settings settings;

  /** Heap of a worker child JVM ({@code -Xmx}), in MiB. */
  public static final int WORKER_HEAP_MIB = 384;

  private final Map<String, Process> running = new LinkedHashMap<>();
  private final Map<String, String> workerBootstrap = new LinkedHashMap<>();
  private final Thread hook = new Thread(this::killAll, "expertflow-chaos-children");

  public PipelineProcesses(Settings settings) {
    this.settings = settings;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Makes the worker {@code id} reach Kafka at {@code bootstrap} (its own links to the nodes)
   * instead of the run's bootstrap servers, from its next start on.
   */
  public synchronized void route(String id, String bootstrap) {
    workerBootstrap.put(id, bootstrap);
  }

  /** Starts (or starts again) the worker {@code id}. */
  public synchronized void startWorker(String id) {
    List<String> args =
        withConnection(
            workerBootstrap.getOrDefault(id, settings.bootstrap()),
            "worker",
            "--bundle",
            settings.bundle().toString(),
            "--worker-id",
            id,
            "--delivery-mode",
            settings.deliveryMode(),
            "--engine",
            "cpu",
            "--http-port",
            "0");
    for (String setting : settings.workerSettings()) {
      args.addAll(List.of("--set", setting));
    }
    start(id, WORKER_HEAP_MIB + "m", args);
  }

  /**
   * Starts (or starts again) the streams app: intake, compliance and audit, status, its status API
   * on the same port each time.
   */
  public synchronized void startStreams() {
    start(
        "streams",
        "512m",
        withConnection(
            settings.bootstrap(),
            "streams",
            "--application-id",
            "expertflow-chaos-" + settings.runId(),
            "--state-dir",
            settings.dir().resolve("streams-state").toString(),
            "--instance-id",
            "chaos-streams",
            "--topologies",
            "intake,compliance,status",
            "--http-bind",
            "127.0.0.1",
            "--http-port",
            Integer.toString(settings.statusPort()),
            "--set",
            "static.membership=" + settings.streamsStaticMembership()));
  }

  /**
   * Starts (or starts again) the updater on the bundle, with guards relaxed for the run (any
   * held-out gain, a guard drop under 0.99, a fifth of the expert parameters: the chaos run tests
   * publishing, not learning, and the tiny TEST head learns nothing in 1 % of its parameters) and
   * windows taken as soon as their statistics settle; {@code env} is added to its environment (a
   * failpoint).
   */
  public synchronized void startUpdater(Map<String, String> env) {
    start(
        UpdaterKillFault.NAME,
        "384m",
        withConnection(
            settings.bootstrap(),
            "updater",
            "--bundle",
            settings.bundle().toString(),
            "--settle-ms",
            "500",
            "--max-wait-ms",
            "5000",
            "--min-feedback",
            "1",
            "--min-negative-rate",
            "0",
            "--min-holdout-gain",
            "0",
            "--max-guard-drop",
            "0.99",
            "--budget-share",
            "0.2",
            "--http-port",
            "0"),
        env);
  }

  /** {@code args} followed by the flags that connect a child to Kafka and the registry. */
  private List<String> withConnection(String bootstrap, String... args) {
    List<String> out = new ArrayList<>(List.of(args));
    out.addAll(
        List.of(
            "-b",
            bootstrap,
            "-r",
            settings.registryUrl(),
            "--topic-prefix",
            settings.topicPrefix()));
    return out;
  }

  /** The log file of the child {@code name} (appended across its restarts). */
  public Path logOf(String name) {
    return settings.dir().resolve(name + ".log");
  }

  /** SIGKILL of {@code name}, as a crash would; waits until it is gone. */
  public void kill(String name) {
    end(name, true);
  }

  /** SIGTERM of {@code name}, an orderly stop; waits until it is gone. */
  public void stop(String name) {
    end(name, false);
  }

  /** Where {@code name} runs now (its process id and log), or null when it does not run. */
  synchronized MemorySampler.Target target(String name) {
    Process p = running.get(name);
    return p == null || !p.isAlive()
        ? null
        : new MemorySampler.Target(p.pid(), settings.dir().resolve(name + ".log"));
  }

  /** Names of the children that ended on their own (not by a fault or a stop). */
  public synchronized List<String> exitedUnasked() {
    List<String> gone = new ArrayList<>();
    running.forEach(
        (name, p) -> {
          if (!p.isAlive()) {
            gone.add(name + " (exit " + p.exitValue() + ")");
          }
        });
    return gone;
  }

  private void end(String name, boolean kill) {
    Process p;
    synchronized (this) {
      p = running.remove(name);
    }
    if (p == null) {
      return;
    }
    if (kill) {
      p.destroyForcibly();
    } else {
      p.destroy();
    }
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void start(String name, String heap, List<String> args) {
    start(name, heap, args, Map.of());
  }

  private void start(String name, String heap, List<String> args, Map<String, String> env) {
    if (running.containsKey(name) && running.get(name).isAlive()) {
      throw new IllegalStateException(name + " runs already");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx" + heap,
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            Expertflow.class.getName()));
    command.addAll(args);
    if (settings.commandConfig() != null) {
      command.addAll(List.of("--command-config", settings.commandConfig().toString()));
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(settings.dir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logOf(name).toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("EXPERTFLOW_"));
    builder.environment().putAll(env);
    try {
      running.put(name, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  private synchronized void killAll() {
    running.values().forEach(Process::destroyForcibly);
  }

  /** Stops every child in order (SIGTERM, SIGKILL after 30 s). */
  @Override
  public void close() {
    List<String> names;
    synchronized (this) {
      names = new ArrayList<>(running.keySet());
    }
    for (String n : names) {
      stop(n);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs
    }
  }
}
