package io.expertflow.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The local broker did not become ready: its process exited or it did not answer in time. The
 * message names the log file and quotes its last lines.
 */
public final class BrokerStartException extends RuntimeException {

  private final transient Path logFile;
  private final boolean portTaken;

  BrokerStartException(String message, Path logFile, Throwable cause) {
    this(message, logFile, cause, false);
  }

  private BrokerStartException(String message, Path logFile, Throwable cause, boolean portTaken) {
    super(message, cause);
    this.logFile = logFile;
    this.portTaken = portTaken;
  }

  private static final int LOG_TAIL_LINES = 15;

  /** How the JDK words a bind that fails on a port in use; Kafka's socket server quotes it. */
  private static final String BIND_FAILED = "Address already in use";

  /**
   * {@code broker} (its name and address) did not become ready: why, how long it was given, and the
   * last lines of its log, with a hint when the child could not load Kafka's classes.
   */
  static BrokerStartException notReady(
      String broker, BrokerReadiness.NotReadyException e, Duration readyTimeout, Path logFile) {
    String tail = LogExcerpt.of(logFile, LOG_TAIL_LINES);
    return new BrokerStartException(
        broker
            + " did not start: "
            + e.getMessage()
            + (e.failure == BrokerReadiness.Failure.TIMED_OUT
                ? " (waited " + readyTimeout.toSeconds() + " s)"
                : "")
            + ". Log file: "
            + logFile
            + "\n"
            + tail
            + missingBrokerHint(tail),
        logFile,
        null,
        e.failure == BrokerReadiness.Failure.EXITED && tail.contains(BIND_FAILED));
  }

  /**
   * {@code broker} cannot start because {@code port}, of its {@code listener} listener, is taken;
   * the reason is also appended to its log file. {@code picked}: the broker picked the port itself
   * rather than being given it.
   */
  static BrokerStartException portInUse(
      String broker, int port, String listener, Path logFile, boolean picked) {
    String reason =
        broker
            + " cannot start: port "
            + port
            + " on 127.0.0.1 (its "
            + listener
            + " listener) is in use by another process. Choose another port, or 0 for a free"
            + " one, or stop the process that holds it.";
    try {
      Files.writeString(
          logFile, reason + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the exception says it all
    }
    return new BrokerStartException(reason + " Log file: " + logFile, logFile, null, picked);
  }

  /**
   * Whether another process took a port meant for the broker: one it picked itself was found in use
   * before its start, or its process ended because a listener could not bind.
   */
  boolean portTaken() {
    return portTaken;
  }

  /** What to do when the child JVM could not load Kafka's broker classes. */
  private static String missingBrokerHint(String logTail) {
    return logTail.contains("kafka/Kafka") || logTail.contains("kafka.Kafka")
        ? "\nThe broker's classes (kafka_2.13) are not on the child JVM's class path: set -D"
            + LocalKafkaBrokerConfig.BROKER_CLASSPATH_PROPERTY
            + "=dev/kafka-local/target/broker-lib/* (./mvnw -pl dev/kafka-local package builds it)."
        : "";
  }

  /** The child JVM's log file; it stays on disk for reading after the failure. */
  public Path logFile() {
    return logFile;
  }
}
