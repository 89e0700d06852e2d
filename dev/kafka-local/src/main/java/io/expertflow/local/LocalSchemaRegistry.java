package io.expertflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry server speaking the Confluent REST API, run as a child JVM on 127.0.0.1
 * for the demo, the command line and integration tests: Apicurio Registry with in-memory storage,
 * built by the module {@code dev/schema-registry}.
 *
 * <p>{@link #start} returns once the API answers and the global compatibility level is set
 * (BACKWARD by default; the server's own default would be NONE). The schemas live in memory and are
 * gone when the process ends. {@link #close} stops the process; a JVM shutdown hook does the same
 * if the owner never calls it; and the server ends by itself when this JVM ends in any other way,
 * even by {@code kill -9}, as it watches its standard input, a pipe from this JVM. Without a {@link
 * LocalSchemaRegistryConfig#workDir()}, the log goes to a temporary folder that {@link #close} and
 * the hook delete; after a failed start it stays, for the log the error names.
 *
 * <pre>{@code
 * try (LocalSchemaRegistry registry = LocalSchemaRegistry.start()) {
 *   String url = registry.url(); // http://127.0.0.1:PORT/apis/ccompat/v7
 * }
 * }</pre>
 *
 * <p>Thread-safe: the accessors may be called from any thread, {@link #close} is idempotent.
 */
public final class LocalSchemaRegistry implements AutoCloseable {

  /** Name of the server's log file (standard output and error) in the work directory. */
  public static final String LOG_FILE_NAME = "schema-registry.log";

  /** Path of the Confluent-compatible API on the server. */
  public static final String API_PATH = "/apis/ccompat/v7";

  private static final Logger log = LoggerFactory.getLogger(LocalSchemaRegistry.class);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final int LOG_LINES_IN_ERRORS = 25;
  private static final int FREE_PORT_ATTEMPTS = 3;

  private final RegistryProcess process;
  private final int port;
  private final Duration startDuration;
  private final Duration stopTimeout;
  private final Thread shutdownHook;
  private final Optional<Path> ownedWorkDir;
  private boolean closed;

  private LocalSchemaRegistry(
      RegistryProcess process,
      int port,
      Duration startDuration,
      Duration stopTimeout,
      Thread shutdownHook,
      Optional<Path> ownedWorkDir) {
    this.process = process;
    this.port = port;
    this.startDuration = startDuration;
    this.stopTimeout = stopTimeout;
    this.shutdownHook = shutdownHook;
    this.ownedWorkDir = ownedWorkDir;
  }

  /** Starts a registry with the default settings. */
  public static LocalSchemaRegistry start() {
    return start(LocalSchemaRegistryConfig.builder().build());
  }

  /**
   * Starts a registry and waits until it answers; blocks the calling thread for a few seconds.
   *
   * @throws IllegalStateException if the server's jar cannot be found (the message says how to
   *     build it)
   * @throws RegistryStartException if it exits early or does not answer within the start timeout
   */
  public static LocalSchemaRegistry start(LocalSchemaRegistryConfig config) {
    Path appJar = RegistryAppLocator.locate(config.appJar());
    Path workDir = workDir(config);
    int attempts = config.port() == 0 ? FREE_PORT_ATTEMPTS : 1;
    for (int attempt = 1; ; attempt++) {
      int port = FreePorts.orFree(config.port());
      try {
        return launch(config, appJar, workDir, config.workDir().isEmpty(), port);
      } catch (PortTakenException e) {
        if (attempt >= attempts) {
          throw e.failure;
        }
        log.info("Port {} was taken before the schema registry bound it; trying another", port);
      }
    }
  }

  private static LocalSchemaRegistry launch(
      LocalSchemaRegistryConfig config, Path appJar, Path workDir, boolean ownsWorkDir, int port) {
    String url = "http://127.0.0.1:" + port + API_PATH;
    long startedAt = System.nanoTime();
    RegistryProcess process =
        RegistryProcess.start(command(config, appJar, port), workDir.resolve(LOG_FILE_NAME));
    Optional<Path> owned = ownsWorkDir ? Optional.of(workDir) : Optional.empty();
    Thread hook =
        new Thread(
            () -> {
              process.stop(config.stopTimeout());
              owned.ifPresent(WorkFolders::deleteRecursively);
            },
            "schema-registry-shutdown-" + port);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      awaitAnswer(process, url, config.startTimeout());
      new RegistryAdminCalls(url).setGlobalCompatibility(config.compatibility());
    } catch (RuntimeException | IOException | InterruptedException e) {
      process.stop(config.stopTimeout());
      removeHook(hook);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw failure(e, process, url);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - startedAt);
    log.info(
        "Schema registry ready at {} in {} ms (pid {}, log {})",
        url,
        took.toMillis(),
        process.pid(),
        process.logFile());
    return new LocalSchemaRegistry(process, port, took, config.stopTimeout(), hook, owned);
  }

  private static void awaitAnswer(RegistryProcess process, String url, Duration timeout)
      throws InterruptedException {
    RegistryAdminCalls calls = new RegistryAdminCalls(url);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new ExitedEarly(process.exitCode());
      }
      if (calls.answers()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "it did not answer GET " + url + "/subjects within " + timeout.toSeconds() + " s");
      }
      process.awaitExit(POLL_INTERVAL);
    }
  }

  private static RuntimeException failure(Exception cause, RegistryProcess process, String url) {
    String tail = LogTail.of(process.logFile(), LOG_LINES_IN_ERRORS);
    String what =
        cause instanceof ExitedEarly
            ? "its process exited with code " + process.exitCode() + " before it answered"
            : cause.getMessage();
    RegistryStartException failure =
        new RegistryStartException(
            "The local schema registry at "
                + url
                + " did not start: "
                + what
                + ". Its log is "
                + process.logFile()
                + "; last lines:"
                + System.lineSeparator()
                + tail,
            process.logFile(),
            cause instanceof ExitedEarly ? null : cause);
    boolean portTaken =
        cause instanceof ExitedEarly
            && (tail.contains("already in use") || tail.contains("in use by another process"));
    return portTaken ? new PortTakenException(failure) : failure;
  }

  private static List<String> command(LocalSchemaRegistryConfig config, Path appJar, int port) {
    return List.of(
        RegistryProcess.javaExecutable().toString(),
        "-Xmx" + config.maxHeap(),
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Dquarkus.http.host=127.0.0.1",
        "-Dquarkus.http.port=" + port,
        // the server exits when its standard input (a pipe from this JVM) closes: when we end
        "-Dexpertflow.registry.exit-with-parent=true",
        "-jar",
        appJar.toString());
  }

  private static Path workDir(LocalSchemaRegistryConfig config) {
    try {
      if (config.workDir().isPresent()) {
        return Files.createDirectories(config.workDir().get());
      }
      return Files.createTempDirectory("expertflow-schema-registry-");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the schema registry's work directory "
              + config.workDir().map(Path::toString).orElse("(temporary)"),
          e);
    }
  }

  /**
   * The Confluent-compatible API's base URL, e.g. {@code http://127.0.0.1:PORT/apis/ccompat/v7}.
   */
  public String url() {
    return "http://127.0.0.1:" + port + API_PATH;
  }

  public int port() {
    return port;
  }

  /** The process id of the server's JVM. */
  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return process.logFile();
  }

  /** From launching the process to the registry answering with its compatibility level set. */
  public Duration startDuration() {
    return startDuration;
  }

  /**
   * Stops the server: SIGTERM, then a kill if it has not ended within the stop timeout. Returns
   * once the process has ended; its port is free again, and the temporary folder it logged to, if
   * it made one, is deleted.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    process.stop(stopTimeout);
    removeHook(shutdownHook);
    ownedWorkDir.ifPresent(WorkFolders::deleteRecursively);
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException jvmShuttingDown) {
      // the hook runs (or ran) anyway
    }
  }

  /** The server exited before it answered. */
  private static final class ExitedEarly extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExitedEarly(int exitCode) {
      super("exited with code " + exitCode, null, false, false);
    }
  }

  /** The server exited because another process took its port first. */
  private static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final RegistryStartException failure;

    PortTakenException(RegistryStartException failure) {
      super(failure.getMessage(), failure, false, false);
      this.failure = failure;
    }
  }
}
