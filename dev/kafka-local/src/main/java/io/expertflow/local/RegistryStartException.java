package io.expertflow.local;

import java.nio.file.Path;

/**
 * The local schema registry did not start: its process could not be launched, exited early, or did
 * not answer in time. The message names the log file and quotes its last lines.
 */
public final class RegistryStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path logFile;

  RegistryStartException(String message, Path logFile, Throwable cause) {
    super(message, cause);
    this.logFile = logFile;
  }

  /** The registry's log file, which says why it failed. */
  public Path logFile() {
    return logFile;
  }
}
