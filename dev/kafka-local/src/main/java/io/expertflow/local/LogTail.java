package io.expertflow.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Stream;

/** The last lines of a log file, for error messages. */
final class LogTail {

  private LogTail() {}

  /** The last {@code lines} lines of the file, or a note saying why there are none. */
  static String of(Path file, int lines) {
    if (!Files.exists(file)) {
      return "(the log file " + file + " does not exist)";
    }
    Deque<String> tail = new ArrayDeque<>(lines);
    try (Stream<String> all = Files.lines(file, StandardCharsets.ISO_8859_1)) {
      all.forEach(
          line -> {
            if (tail.size() == lines) {
              tail.removeFirst();
            }
            tail.addLast(line);
          });
    } catch (IOException | RuntimeException e) {
      return "(could not read the log file " + file + ": " + e.getMessage() + ")";
    }
    return tail.isEmpty() ? "(the log file is empty)" : String.join(System.lineSeparator(), tail);
  }
}
