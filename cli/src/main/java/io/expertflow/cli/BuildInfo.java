package io.expertflow.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** What build this is: the project's version and, from a git checkout, its commit. */
public final class BuildInfo {
  static final String RESOURCE = "version.properties";

  private BuildInfo() {}

  /** The project's version, as the build wrote it into {@code version.properties}. */
  public static String version() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "(version unknown: " + RESOURCE + " is missing from the build)";
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return p.getProperty("version", "(version unknown)");
  }

  /**
   * The commit checked out where the {@code expertflow} launcher runs from ({@code
   * expertflow.home}), with "(modified)" when the work tree has changes; empty outside a checkout
   * or without git.
   */
  public static Optional<String> commit() {
    String home = System.getProperty("expertflow.home");
    return home == null ? Optional.empty() : commit(home);
  }

  /** The commit checked out in {@code home}, as {@link #commit()} says it. */
  static Optional<String> commit(String home) {
    Optional<String> head = git(home, "rev-parse", "--short=12", "HEAD");
    if (head.isEmpty()) {
      return head;
    }
    boolean modified = git(home, "status", "--porcelain", "--untracked-files=no").isPresent();
    return Optional.of(head.get() + (modified ? " (modified)" : ""));
  }

  /** The command's output when it succeeds with some; empty otherwise. */
  private static Optional<String> git(String dir, String... args) {
    String[] command = new String[args.length + 3];
    command[0] = "git";
    command[1] = "-C";
    command[2] = dir;
    System.arraycopy(args, 0, command, 3, args.length);
    try {
      Process p =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      boolean done = p.waitFor(10, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return p.exitValue() == 0 && !out.isEmpty() ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
