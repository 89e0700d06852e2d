package io.expertflow.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema registry's JVM, its standard output and error appended to a log file.
 *
 * <p>{@link #stop} may be called from any thread, also concurrently (from a shutdown hook); the
 * other methods only read the process state.
 */
final class RegistryProcess {

  private static final Logger log = LoggerFactory.getLogger(RegistryProcess.class);

  private final Process process;
  private final Path logFile;

  private RegistryProcess(Process process, Path logFile) {
    this.process = process;
    this.logFile = logFile;
  }

  /** Launches {@code command} in the log file's folder, after a line naming the command. */
  static RegistryProcess start(List<String> command, Path logFile) {
    try {
      Files.writeString(
          logFile,
          "==== " + Instant.now() + " " + String.join(" ", command) + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      Process process =
          new ProcessBuilder(command)
              .directory(logFile.toAbsolutePath().getParent().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
      return new RegistryProcess(process, logFile);
    } catch (IOException e) {
      throw new RegistryStartException(
          "Could not launch the local schema registry with " + command + ": " + e.getMessage(),
          logFile,
          e);
    }
  }

  /** The {@code java} of the running JVM, so the child runs on the same Java version. */
  static Path javaExecutable() {
    Path bin = Path.of(System.getProperty("java.home"), "bin");
    for (String name : List.of("java", "java.exe")) {
      if (Files.isExecutable(bin.resolve(name))) {
        return bin.resolve(name);
      }
    }
    return ProcessHandle.current()
        .info()
        .command()
        .map(Path::of)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "Cannot find the java executable: not in "
                        + bin
                        + " and the running process does not name its command"));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  Path logFile() {
    return logFile;
  }

  /** The exit code; only once the process has ended. */
  int exitCode() {
    return process.exitValue();
  }

  /** Waits up to {@code timeout}, less if the process ends. */
  void awaitExit(Duration timeout) throws InterruptedException {
    process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * SIGTERM, wait up to {@code grace}; then kill and wait again. Returns once the process has ended
   * (or the second wait ran out); an interrupt during the waits is kept for the caller.
   */
  void stop(Duration grace) {
    boolean interrupted = false;
    try {
      process.destroy();
      for (int round = 0; round < 2; round++) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (process.isAlive() && deadline - System.nanoTime() > 0) {
          try {
            process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        if (!process.isAlive()) {
          return;
        }
        if (round == 0) {
          log.warn("Schema registry (pid {}) ignored SIGTERM for {}; killing it", pid(), grace);
          process.destroyForcibly();
        }
      }
      log.warn("Schema registry (pid {}) is still running after a kill", pid());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
