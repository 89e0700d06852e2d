package io.expertflow.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A JVM started as a child process, its standard output and error appended to a log file, its
 * standard input left as an open pipe that the child can watch to notice the parent's end.
 *
 * <p>Not thread-safe; the owner serialises calls.
 */
final class JavaChildProcess {

  private final Process process;
  private final Path logFile;

  private JavaChildProcess(Process process, Path logFile) {
    this.process = process;
    this.logFile = logFile;
  }

  /**
   * Starts {@code java <jvmOptions> -cp <classpath> <mainClass> <args>}.
   *
   * @param java the {@code java} executable
   * @param classpath the child's class path; the folder or jar of this class is appended so the
   *     project's launchers are always found
   */
  static JavaChildProcess start(
      Path java,
      List<String> jvmOptions,
      String classpath,
      Class<?> mainClass,
      List<String> args,
      Path logFile) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath + File.pathSeparator + codeLocation());
    command.add(mainClass.getName());
    command.addAll(args);
    try {
      Files.writeString(
          logFile,
          LogExcerpt.RUN_MARKER
              + Instant.now()
              + " starting "
              + mainClass.getName()
              + " "
              + args
              + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
      return new JavaChildProcess(process, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not start a child JVM with " + java + " (log file " + logFile + ")", e);
    }
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

  /** Completes when the process has ended. */
  CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /** The exit code once the process has ended. */
  OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /**
   * Waits up to {@code timeout} for the process to end.
   *
   * @return whether it has ended
   */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** How {@link #stop(Duration, BooleanSupplier)} ended the process. */
  enum Stopped {
    /** It ended by itself after SIGTERM, within the grace period (or had ended before). */
    CLEANLY,
    /** It was killed when the grace period ran out. */
    KILLED_AFTER_GRACE,
    /** It was killed early, because waiting was found hopeless. */
    KILLED_EARLY
  }

  private static final Duration STOP_POLL = Duration.ofMillis(100);

  /**
   * Asks the process to end (SIGTERM), waits up to {@code grace}, then kills it and waits again.
   *
   * @return whether it ended within the grace period (a clean shutdown)
   */
  boolean stop(Duration grace) {
    return stop(grace, () -> false) == Stopped.CLEANLY;
  }

  /**
   * As {@link #stop(Duration)}, but kills the process as soon as {@code hopeless} says its clean
   * shutdown cannot finish (asked every 100 ms while waiting).
   */
  Stopped stop(Duration grace, BooleanSupplier hopeless) {
    if (!process.isAlive()) {
      return Stopped.CLEANLY;
    }
    process.destroy();
    boolean interrupted = false;
    Stopped outcome = Stopped.KILLED_AFTER_GRACE;
    try {
      long deadline = System.nanoTime() + grace.toNanos();
      try {
        while (true) {
          long left = deadline - System.nanoTime();
          if (process.waitFor(Math.min(left, STOP_POLL.toNanos()), TimeUnit.NANOSECONDS)) {
            return Stopped.CLEANLY;
          }
          if (left <= 0) {
            break;
          }
          if (hopeless.getAsBoolean()) {
            outcome = Stopped.KILLED_EARLY;
            break;
          }
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
      process.destroyForcibly();
      while (true) {
        try {
          process.waitFor(30, TimeUnit.SECONDS);
          return outcome;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Kills the process at once (SIGKILL on Unix) and waits until it has ended. */
  void kill() {
    process.destroyForcibly();
    boolean interrupted = false;
    while (true) {
      try {
        process.waitFor();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static String codeLocation() {
    try {
      return Paths.get(
              JavaChildProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException | RuntimeException e) {
      throw new IllegalStateException("Cannot locate the classes of " + JavaChildProcess.class, e);
    }
  }
}
