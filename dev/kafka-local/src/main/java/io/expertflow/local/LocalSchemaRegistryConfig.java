package io.expertflow.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of a {@link LocalSchemaRegistry}: immutable, validated when built.
 *
 * <p>Every setting has a default; {@code LocalSchemaRegistryConfig.builder().build()} is a registry
 * on a free loopback port with BACKWARD compatibility, found the usual way (see {@link
 * RegistryAppLocator}).
 */
public final class LocalSchemaRegistryConfig {

  /** The global compatibility level set at start, as in Confluent Schema Registry. */
  public static final String DEFAULT_COMPATIBILITY = "BACKWARD";

  /**
   * How long to wait for the registry to answer before giving up: it needs about 7 s on an idle
   * 2-core machine, above 30 s on a heavily shared one.
   */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);

  /** How long {@code close()} waits after SIGTERM before it kills the process. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  /** Maximum heap of the registry's JVM ({@code -Xmx}); it needs about 100 MB of it. */
  public static final String DEFAULT_MAX_HEAP = "256m";

  /** Port 0: pick a free port on 127.0.0.1 at start. */
  public static final int DEFAULT_PORT = 0;

  /** The levels the Confluent REST API accepts for {@code PUT /config}. */
  public static final Set<String> COMPATIBILITY_LEVELS =
      Set.of(
          "NONE",
          "BACKWARD",
          "BACKWARD_TRANSITIVE",
          "FORWARD",
          "FORWARD_TRANSITIVE",
          "FULL",
          "FULL_TRANSITIVE");

  private final Optional<Path> appJar;
  private final int port;
  private final Optional<Path> workDir;
  private final String compatibility;
  private final Duration startTimeout;
  private final Duration stopTimeout;
  private final String maxHeap;

  private LocalSchemaRegistryConfig(Builder builder) {
    this.appJar = Optional.ofNullable(builder.appJar);
    this.port = builder.port;
    this.workDir = Optional.ofNullable(builder.workDir);
    this.compatibility = builder.compatibility;
    this.startTimeout = builder.startTimeout;
    this.stopTimeout = builder.stopTimeout;
    this.maxHeap = builder.maxHeap;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The server's {@code quarkus-run.jar}; empty: found by {@link RegistryAppLocator}. */
  public Optional<Path> appJar() {
    return appJar;
  }

  /** The HTTP port on 127.0.0.1; 0 picks a free one. */
  public int port() {
    return port;
  }

  /** Where the log file goes; empty: a new temporary directory. */
  public Optional<Path> workDir() {
    return workDir;
  }

  /** The global compatibility level set once the registry answers. */
  public String compatibility() {
    return compatibility;
  }

  public Duration startTimeout() {
    return startTimeout;
  }

  public Duration stopTimeout() {
    return stopTimeout;
  }

  /** The child JVM's {@code -Xmx} value, such as {@code 256m}. */
  public String maxHeap() {
    return maxHeap;
  }

  /** Builds a {@link LocalSchemaRegistryConfig}; not thread-safe. */
  public static final class Builder {
    private Path appJar;
    private int port = DEFAULT_PORT;
    private Path workDir;
    private String compatibility = DEFAULT_COMPATIBILITY;
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private String maxHeap = DEFAULT_MAX_HEAP;

    private Builder() {}

    public Builder appJar(Path appJar) {
      this.appJar = Objects.requireNonNull(appJar, "appJar");
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder workDir(Path workDir) {
      this.workDir = Objects.requireNonNull(workDir, "workDir");
      return this;
    }

    public Builder compatibility(String compatibility) {
      this.compatibility = Objects.requireNonNull(compatibility, "compatibility");
      return this;
    }

    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
      return this;
    }

    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
      return this;
    }

    public Builder maxHeap(String maxHeap) {
      this.maxHeap = Objects.requireNonNull(maxHeap, "maxHeap");
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the setting and value that are out of range
     */
    public LocalSchemaRegistryConfig build() {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException(
            "port must be 0 (pick a free one) or 1-65535, was " + port);
      }
      if (!COMPATIBILITY_LEVELS.contains(compatibility)) {
        throw new IllegalArgumentException(
            "compatibility must be one of "
                + COMPATIBILITY_LEVELS
                + " (upper case), was '"
                + compatibility
                + "'");
      }
      requirePositive("startTimeout", startTimeout);
      requirePositive("stopTimeout", stopTimeout);
      if (!maxHeap.matches("[1-9][0-9]*[kKmMgG]?")) {
        throw new IllegalArgumentException(
            "maxHeap must be an -Xmx size such as 256m or 1g, was '" + maxHeap + "'");
      }
      return new LocalSchemaRegistryConfig(this);
    }

    private static void requirePositive(String name, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
    }
  }
}
