package io.expertflow.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The part of a child's log file that explains a failed start: the error lines of its latest run (a
 * shutdown after a failure logs many lines that bury the cause) and the run's last lines.
 */
final class LogExcerpt {

  /** Starts each run's section of the log file; written by {@link JavaChildProcess}. */
  static final String RUN_MARKER = "==== ";

  private static final Pattern ERROR_LINE =
      Pattern.compile(" (ERROR|FATAL) |Exception|^Caused by|^Error");
  private static final int MAX_ERROR_LINES = 12;
  private static final int MAX_LINE_LENGTH = 400;

  private LogExcerpt() {}

  /** The error lines, then the last {@code tailLines} lines, of the latest run in the file. */
  static String of(Path file, int tailLines) {
    List<String> run;
    try {
      run = latestRun(Files.readAllLines(file, StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      return "(could not read the log file " + file + ": " + e + ")";
    }
    if (run.isEmpty()) {
      return "(the log file is empty)";
    }
    List<String> errors =
        run.stream()
            .filter(line -> ERROR_LINE.matcher(line).find())
            .limit(MAX_ERROR_LINES)
            .map(LogExcerpt::shorten)
            .toList();
    StringBuilder excerpt = new StringBuilder();
    if (!errors.isEmpty()) {
      excerpt.append("---- errors in the log ----\n");
      errors.forEach(line -> excerpt.append(line).append('\n'));
    }
    excerpt.append("---- last lines of the log ----\n");
    run.subList(Math.max(0, run.size() - tailLines), run.size())
        .forEach(line -> excerpt.append(shorten(line)).append('\n'));
    return excerpt.toString();
  }

  private static List<String> latestRun(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith(RUN_MARKER)) {
        return new ArrayList<>(lines.subList(i, lines.size()));
      }
    }
    return lines;
  }

  private static String shorten(String line) {
    return line.length() <= MAX_LINE_LENGTH ? line : line.substring(0, MAX_LINE_LENGTH) + " ...";
  }
}
