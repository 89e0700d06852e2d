package io.expertflow.local;

import java.nio.file.Path;

/**
 * The local broker did not become ready: its process exited or it did not answer in time. The
 * message names the log file and quotes its last lines.
 */
public final class BrokerStartException extends RuntimeException {

  private final transient Path logFile;

  BrokerStartException(String message, Path logFile, Throwable cause) {
    super(message, cause);
    this.logFile = logFile;
  }

  /** The child JVM's log file; it stays on disk for reading after the failure. */
  public Path logFile() {
    return logFile;
  }
}
