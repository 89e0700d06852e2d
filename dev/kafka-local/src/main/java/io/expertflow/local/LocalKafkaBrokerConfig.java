package io.expertflow.local;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a {@link LocalKafkaBroker}: work folder, ports, child JVM, timeouts and broker
 * property overrides. Immutable and validated when built.
 */
public final class LocalKafkaBrokerConfig {

  /** Small heap, fast start: the node serves tests and a laptop demo, not production load. */
  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xmx256m",
          "-XX:+ExitOnOutOfMemoryError",
          "-Djava.awt.headless=true");

  /** How long to wait for the broker to answer {@code describeCluster} after starting it. */
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);

  /** How long a stopping broker may take to shut down cleanly before it is killed. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(20);

  /** Port 0 means: pick a free port when the broker first starts, keep it across restarts. */
  public static final int FREE_PORT = 0;

  private final Path workDir;
  private final int clientPort;
  private final int controllerPort;
  private final Path javaExecutable;

  /**
   * System property naming the broker child JVM's class path, for applications whose own class path
   * does not carry the broker ({@code kafka_2.13} and Scala).
   */
  public static final String BROKER_CLASSPATH_PROPERTY = "expertflow.broker.classpath";

  private final String classpath;
  private final List<String> jvmOptions;
  private final Duration readyTimeout;
  private final Duration stopTimeout;
  private final Map<String, String> brokerProperties;
  private final LocalKafkaSasl sasl;

  private LocalKafkaBrokerConfig(Builder builder) {
    this.workDir = builder.workDir;
    this.clientPort = checkPort("clientPort", builder.clientPort);
    this.controllerPort = checkPort("controllerPort", builder.controllerPort);
    this.javaExecutable = builder.javaExecutable;
    this.classpath = builder.classpath;
    this.jvmOptions = List.copyOf(builder.jvmOptions);
    this.readyTimeout = checkPositive("readyTimeout", builder.readyTimeout);
    this.stopTimeout = checkPositive("stopTimeout", builder.stopTimeout);
    this.brokerProperties = Map.copyOf(builder.brokerProperties);
    this.sasl = builder.sasl;
    if (clientPort != FREE_PORT && clientPort == controllerPort) {
      throw new IllegalArgumentException(
          "clientPort and controllerPort must differ, both are " + clientPort + ".");
    }
    if (classpath.isBlank()) {
      throw new IllegalArgumentException(
          "The child JVM's classpath is empty; give one that holds kafka_2.13 and its"
              + " dependencies.");
    }
  }

  /** The defaults: a temporary work folder, free ports, this JVM's java and class path. */
  public static LocalKafkaBrokerConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The folder for storage, properties and log; empty means a temporary folder. */
  public Optional<Path> workDir() {
    return Optional.ofNullable(workDir);
  }

  public int clientPort() {
    return clientPort;
  }

  public int controllerPort() {
    return controllerPort;
  }

  public Path javaExecutable() {
    return javaExecutable;
  }

  public String classpath() {
    return classpath;
  }

  public List<String> jvmOptions() {
    return jvmOptions;
  }

  public Duration readyTimeout() {
    return readyTimeout;
  }

  public Duration stopTimeout() {
    return stopTimeout;
  }

  /** Broker properties that replace or add to the single-node defaults. */
  public Map<String, String> brokerProperties() {
    return brokerProperties;
  }

  /**
   * SASL and ACLs on the client listener, or empty for the default: a PLAINTEXT listener that lets
   * every client do everything.
   */
  public Optional<LocalKafkaSasl> sasl() {
    return Optional.ofNullable(sasl);
  }

  /** This config for one node of a cluster: its own folder and ports, everything else shared. */
  LocalKafkaBrokerConfig forNode(Path nodeWorkDir, int nodeClientPort, int nodeControllerPort) {
    Builder builder =
        builder()
            .workDir(nodeWorkDir)
            .clientPort(nodeClientPort)
            .controllerPort(nodeControllerPort)
            .javaExecutable(javaExecutable)
            .classpath(classpath)
            .jvmOptions(jvmOptions)
            .readyTimeout(readyTimeout)
            .stopTimeout(stopTimeout);
    brokerProperties.forEach(builder::brokerProperty);
    if (sasl != null) {
      builder.sasl(sasl);
    }
    return builder.build();
  }

  private static int checkPort(String name, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(
          name + " must be 0 (free port) or 1-65535, got " + port + ".");
    }
    return port;
  }

  private static Duration checkPositive(String name, Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value + ".");
    }
    return value;
  }

  /** Builds a {@link LocalKafkaBrokerConfig}; not thread-safe. */
  public static final class Builder {
    private Path workDir;
    private int clientPort = FREE_PORT;
    private int controllerPort = FREE_PORT;
    private Path javaExecutable = Paths.get(System.getProperty("java.home"), "bin", "java");
    private String classpath =
        System.getProperty(BROKER_CLASSPATH_PROPERTY, System.getProperty("java.class.path", ""));
    private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
    private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private LocalKafkaSasl sasl;

    private Builder() {}

    /**
     * Authenticates clients with SASL and authorizes them with ACLs; see {@link LocalKafkaSasl}.
     */
    public Builder sasl(LocalKafkaSasl sasl) {
      this.sasl = Objects.requireNonNull(sasl, "sasl");
      return this;
    }

    /** Keeps storage, properties and log in this folder (kept on close) instead of a temp one. */
    public Builder workDir(Path workDir) {
      this.workDir = Objects.requireNonNull(workDir, "workDir");
      return this;
    }

    /** The port clients connect to; {@link #FREE_PORT} by default. */
    public Builder clientPort(int clientPort) {
      this.clientPort = clientPort;
      return this;
    }

    /** The KRaft controller's port; {@link #FREE_PORT} by default. */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = controllerPort;
      return this;
    }

    /** The {@code java} executable of the child; this JVM's by default. */
    public Builder javaExecutable(Path javaExecutable) {
      this.javaExecutable = Objects.requireNonNull(javaExecutable, "javaExecutable");
      return this;
    }

    /**
     * The child's class path; by default the system property {@value #BROKER_CLASSPATH_PROPERTY} if
     * set (the {@code expertflow} command sets it to {@code dev/kafka-local/target/broker-lib/*}),
     * else this JVM's {@code java.class.path}. It must hold the same Kafka version as this module.
     */
    public Builder classpath(String classpath) {
      this.classpath = Objects.requireNonNull(classpath, "classpath");
      return this;
    }

    /** Replaces {@link #DEFAULT_JVM_OPTIONS}. */
    public Builder jvmOptions(List<String> jvmOptions) {
      this.jvmOptions = List.copyOf(jvmOptions);
      return this;
    }

    public Builder readyTimeout(Duration readyTimeout) {
      this.readyTimeout = Objects.requireNonNull(readyTimeout, "readyTimeout");
      return this;
    }

    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
      return this;
    }

    /** Sets a broker property, replacing the single-node default of the same name. */
    public Builder brokerProperty(String key, String value) {
      brokerProperties.put(
          Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Builds the config.
     *
     * @throws IllegalArgumentException naming the setting and the value that is wrong
     */
    public LocalKafkaBrokerConfig build() {
      return new LocalKafkaBrokerConfig(this);
    }
  }
}
