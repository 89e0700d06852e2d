package io.expertflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka KRaft cluster (broker and controller in one process) run as a
 * child JVM, for the demo, the command line and integration tests. The same class runs each node of
 * a {@link LocalKafkaCluster}, which then gives it its id, ports and quorum.
 *
 * <p>{@link #start()} writes the server properties into the work folder, starts the child (which
 * formats new storage, then runs {@code kafka.Kafka}) and blocks until the broker answers {@code
 * describeCluster}. Ports are chosen once and kept, so {@link #stop()} and {@link #start()} (or
 * {@link #restart()}) bring the same broker back with its data; {@link #kill()} ends it as a crash
 * would, and {@link #start()} then recovers it. {@link #close()} stops the child and deletes a
 * temporary work folder; a shutdown hook does the same when the JVM exits, and the child ends by
 * itself when this JVM dies.
 *
 * <p>Thread-safe: lifecycle methods are serialised; {@link #bootstrapServers()} may be read from
 * any thread once started.
 */
public final class LocalKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);

  /** How often a broker that picks its own ports tries again when one is taken before it binds. */
  private static final int FREE_PORT_ATTEMPTS = 3;

  private enum State {
    NEW,
    STARTING,
    RUNNING,
    STOPPED,
    CLOSED
  }

  private final LocalKafkaBrokerConfig config;
  private final Path workDir;
  private final boolean ownsWorkDir;
  private final Path logFile;
  private final Thread shutdownHook;
  private final int nodeId;
  private final List<KafkaNodeProperties.Voter> voters;
  private final NodePorts ports;
  private volatile BooleanSupplier shutdownHopeless = () -> false;
  private volatile JavaChildProcess process;
  private String clusterId;
  private long startNanos;
  private Duration lastStartDuration;
  private State state = State.NEW;

  /** Prepares a broker; nothing runs until {@link #start()}. */
  public LocalKafkaBroker(LocalKafkaBrokerConfig config) {
    this(config, FreePorts::pick);
  }

  /** A broker that takes the ports it picks itself (those configured as 0) from {@code picker}. */
  LocalKafkaBroker(LocalKafkaBrokerConfig config, IntSupplier picker) {
    this(config, KafkaNodeProperties.NODE_ID, List.of(), null, picker);
  }

  /**
   * A node of a {@link LocalKafkaCluster}: its ports are given in {@code config}, it votes in a
   * quorum of {@code voters}, and the cluster stops it when the JVM exits.
   */
  static LocalKafkaBroker clusterNode(
      LocalKafkaBrokerConfig config,
      int nodeId,
      List<KafkaNodeProperties.Voter> voters,
      String clusterId) {
    if (config.clientPort() == LocalKafkaBrokerConfig.FREE_PORT
        || config.controllerPort() == LocalKafkaBrokerConfig.FREE_PORT) {
      throw new IllegalArgumentException("A cluster node's ports are chosen by the cluster.");
    }
    return new LocalKafkaBroker(
        config,
        nodeId,
        List.copyOf(voters),
        Objects.requireNonNull(clusterId, "clusterId"),
        FreePorts::pick);
  }

  private LocalKafkaBroker(
      LocalKafkaBrokerConfig config,
      int nodeId,
      List<KafkaNodeProperties.Voter> voters,
      String clusterId,
      IntSupplier portPicker) {
    this.config = Objects.requireNonNull(config, "config");
    this.ports = new NodePorts(config, portPicker);
    this.nodeId = nodeId;
    this.voters = voters;
    this.clusterId = clusterId;
    try {
      this.ownsWorkDir = config.workDir().isEmpty();
      this.workDir =
          ownsWorkDir
              ? Files.createTempDirectory("expertflow-kafka-")
              : Files.createDirectories(config.workDir().get());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the broker's work folder", e);
    }
    this.logFile = workDir.resolve("broker.log");
    this.shutdownHook = new Thread(this::stopOnJvmExit, "local-kafka-broker-shutdown");
  }

  /** Creates and starts a broker; see {@link #start()}. */
  public static LocalKafkaBroker start(LocalKafkaBrokerConfig config) {
    return new LocalKafkaBroker(config).start();
  }

  /**
   * Starts the child JVM and blocks until the broker is ready. Does nothing when it runs.
   *
   * <p>A port it picks itself (one configured as 0) that another process takes before the child
   * binds it is replaced by another, up to {@value #FREE_PORT_ATTEMPTS} tries in all.
   *
   * @throws BrokerStartException when the process exits or does not become ready in time; the child
   *     is stopped and the message quotes the end of its log
   */
  public synchronized LocalKafkaBroker start() {
    for (int attempt = 1; ; attempt++) {
      try {
        if (launch()) {
          awaitLaunched();
        }
        return this;
      } catch (BrokerStartException e) {
        if (!e.portTaken()
            || attempt >= FREE_PORT_ATTEMPTS
            || !ports.repick(lastStartDuration != null)) {
          throw e;
        }
        LOG.info(
            "A port chosen for the {} was taken before it bound it; trying other ports", name());
      }
    }
  }

  /**
   * Starts the child JVM without waiting for it: the nodes of a cluster must all run before any of
   * them can elect a controller and become ready.
   *
   * @return false when the node runs already
   */
  synchronized boolean launch() {
    if (state == State.CLOSED) {
      throw new IllegalStateException("This broker is closed; create a new LocalKafkaBroker.");
    }
    if (state == State.RUNNING || state == State.STARTING) {
      return false;
    }
    if (clusterId == null) {
      clusterId =
          KafkaNodeProperties.storedClusterId(workDir.resolve("data"))
              .orElseGet(() -> Uuid.randomUuid().toString());
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    startNanos = System.nanoTime();
    ports.settle(name(), logFile);
    Path properties =
        BrokerNodeFiles.writeConfiguration(
            workDir, config, nodeId, voters, ports.client(), ports.controller());
    List<String> arguments = new ArrayList<>(List.of(properties.toString(), clusterId));
    config
        .sasl()
        .ifPresent(
            sasl -> arguments.add(BrokerNodeFiles.writeScramCredentials(workDir, sasl).toString()));
    process =
        JavaChildProcess.start(
            config.javaExecutable(),
            BrokerNodeFiles.jvmOptions(workDir, config),
            config.classpath(),
            KafkaNodeMain.class,
            arguments,
            logFile);
    state = State.STARTING;
    return true;
  }

  /** Blocks until a launched node is ready; see {@link #start()} for the failures. */
  synchronized void awaitLaunched() {
    if (state != State.STARTING) {
      return;
    }
    try {
      awaitReady();
    } catch (RuntimeException e) {
      state = State.STOPPED;
      throw e;
    }
    state = State.RUNNING;
    lastStartDuration = Duration.ofNanos(System.nanoTime() - startNanos);
    LOG.info(
        "{} ready at {} in {} ms (pid {}, log {})",
        name(),
        bootstrapServers(),
        lastStartDuration.toMillis(),
        process.pid(),
        logFile);
  }

  /** Stops the child JVM cleanly (killing it after the stop timeout); storage is kept. */
  public synchronized void stop() {
    if (state != State.RUNNING && state != State.STARTING) {
      return;
    }
    stopProcess();
    state = State.STOPPED;
  }

  /**
   * Kills the child JVM at once (SIGKILL), as a crash or a pulled plug would, and returns when it
   * has ended. Storage stays as the crash left it; {@link #start()} brings the node back on the
   * same ports, recovering its logs.
   */
  public synchronized void kill() {
    if (state != State.RUNNING && state != State.STARTING) {
      return;
    }
    process.kill();
    state = State.STOPPED;
    LOG.info("{} at {} killed (pid {})", name(), bootstrapServers(), process.pid());
  }

  /**
   * Lets a cluster say when this node's clean shutdown can no longer finish (too few controller
   * voters left to grant it), so a stop kills it then instead of waiting out the stop timeout.
   */
  void shutdownHopelessWhen(BooleanSupplier hopeless) {
    this.shutdownHopeless = Objects.requireNonNull(hopeless, "hopeless");
  }

  /** The node's id in its cluster; 1 for a single-node broker. */
  public int nodeId() {
    return nodeId;
  }

  /** Stops and starts the broker on the same ports and storage; data survives. */
  public synchronized void restart() {
    stop();
    start();
  }

  /** {@code host:port} for clients; stays the same across restarts. */
  public String bootstrapServers() {
    int port = ports.client();
    if (port == 0) {
      throw new IllegalStateException("The broker has not been started yet.");
    }
    return KafkaNodeProperties.bootstrapServers(port);
  }

  /**
   * The security settings of an administrating client (empty for a PLAINTEXT broker; the super
   * user's SASL login for a {@link LocalKafkaBrokerConfig#sasl() SASL} one), without {@code
   * bootstrap.servers}.
   */
  public Map<String, String> adminClientProperties() {
    return config.sasl().map(sasl -> sasl.clientProperties(sasl.superUser())).orElse(Map.of());
  }

  public synchronized boolean isRunning() {
    return state == State.RUNNING && process.isAlive();
  }

  /** The child JVM's log file. */
  public Path logFile() {
    return logFile;
  }

  /** The folder holding storage, properties and log. */
  public Path workDir() {
    return workDir;
  }

  /** The child's process id while it runs. */
  public OptionalLong pid() {
    JavaChildProcess current = process;
    return current != null && current.isAlive()
        ? OptionalLong.of(current.pid())
        : OptionalLong.empty();
  }

  /** How long the last {@link #start()} took until the broker was ready. */
  public synchronized Optional<Duration> lastStartDuration() {
    return Optional.ofNullable(lastStartDuration);
  }

  /** Stops the broker and deletes a temporary work folder. Idempotent. */
  @Override
  public synchronized void close() {
    if (state == State.CLOSED) {
      return;
    }
    stop();
    state = State.CLOSED;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down and the hook runs anyway
    }
    if (ownsWorkDir) {
      WorkFolders.deleteRecursively(workDir);
    }
  }

  private void awaitReady() {
    try {
      BrokerReadiness.await(
          process,
          ports.client(),
          adminClientProperties(),
          clusterId,
          nodeId,
          config.readyTimeout());
    } catch (BrokerReadiness.NotReadyException e) {
      stopProcess();
      throw BrokerStartException.notReady(
          name() + " at " + bootstrapServers(), e, config.readyTimeout(), logFile);
    } catch (InterruptedException e) {
      stopProcess();
      Thread.currentThread().interrupt();
      throw new BrokerStartException(
          "Interrupted while waiting for the " + name() + "; log file: " + logFile, logFile, e);
    } catch (RuntimeException e) {
      stopProcess();
      throw e;
    }
  }

  private void stopProcess() {
    JavaChildProcess current = process;
    if (current == null) {
      return;
    }
    switch (current.stop(config.stopTimeout(), shutdownHopeless)) {
      case KILLED_AFTER_GRACE ->
          LOG.warn(
              "{} (pid {}) did not stop within {} s and was killed; see {}",
              name(),
              current.pid(),
              config.stopTimeout().toSeconds(),
              logFile);
      case KILLED_EARLY ->
          LOG.info(
              "{} (pid {}) killed while stopping: too few controller voters are left to grant its"
                  + " clean shutdown",
              name(),
              current.pid());
      case CLEANLY -> {
        // nothing to report
      }
    }
  }

  private void stopOnJvmExit() {
    JavaChildProcess current = process;
    if (current != null) {
      current.stop(config.stopTimeout());
    }
    if (ownsWorkDir) {
      WorkFolders.deleteRecursively(workDir);
    }
  }

  /** How messages and logs name it: a single broker, or a node of a cluster. */
  private String name() {
    return voters.isEmpty() ? "Kafka broker" : "Kafka node " + nodeId;
  }
}
