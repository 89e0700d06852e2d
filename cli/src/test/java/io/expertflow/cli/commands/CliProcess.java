package io.expertflow.cli.commands;

import io.expertflow.cli.Expertflow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An {@code expertflow} command as a child JVM on the test class path, its output in a log. */
final class CliProcess {
  private CliProcess() {}

  /** Starts {@code expertflow args...} in {@code workDir}, stdout and stderr into {@code log}. */
  static Process start(Path workDir, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            Expertflow.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("EXPERTFLOW_"));
    return builder.start();
  }
}
