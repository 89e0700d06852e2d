package io.expertflow.cli.commands;

import io.expertflow.avro.FeedbackEvent;
import io.expertflow.model.corpus.DataFormat;
import io.expertflow.model.corpus.DataProblem;
import io.expertflow.model.corpus.DelimitedData;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Feedback events from a CSV or TSV file with a header line: column {@code request_id}, and any of
 * {@code rating}, {@code corrected_label}, {@code event_time} and {@code feedback_id}, as the
 * JSON-lines fields are named, and {@code feedback_source} for who gave it. Other columns are
 * ignored, so the file that {@code job export --format csv} writes (whose {@code source} column
 * names the document's file, not a person), with a {@code corrected_label} or {@code rating} column
 * filled in where a reviewer had something to say, is feedback as it stands; a row that says
 * neither is skipped and counted. Stateless.
 */
final class FeedbackTable {
  private FeedbackTable() {}

  /** The events of a file, and the rows skipped for holding neither a rating nor a label. */
  record Read(List<FeedbackEvent> events, int skipped) {}

  /** Whether {@code file} is read as a table rather than as JSON Lines. */
  static boolean isTable(Path file) {
    return DataFormat.ofFileName(file).filter(f -> f != DataFormat.JSONL).isPresent();
  }

  /**
   * Reads every row, each checked as the streams app checks an event.
   *
   * @param defaultSource who gave the feedback of rows without a {@code feedback_source}, or null
   * @throws IllegalArgumentException naming the file and line of the first row or problem that
   *     cannot be sent
   */
  static Read read(Path file, Instant now, String defaultSource) {
    char delimiter = DataFormat.ofFileName(file).orElseThrow().delimiter();
    List<FeedbackEvent> events = new ArrayList<>();
    int[] skipped = {0};
    DelimitedData.readRows(
        file,
        delimiter,
        List.of("request_id"),
        "",
        new DelimitedData.RowVisitor() {
          @Override
          public void row(long line, Function<String, String> values) {
            String rating = given(values, "rating");
            String label = given(values, "corrected_label");
            if (rating == null && label == null) {
              skipped[0]++;
              return;
            }
            String time = given(values, "event_time");
            try {
              events.add(
                  FeedbackEvents.event(
                      given(values, "feedback_id"),
                      given(values, "request_id"),
                      rating == null ? null : rating(rating),
                      label,
                      given(values, "feedback_source") == null
                          ? defaultSource
                          : given(values, "feedback_source"),
                      time == null
                          ? now
                          : time.chars().allMatch(Character::isDigit)
                              ? Instant.ofEpochMilli(Long.parseLong(time))
                              : FeedbackEvents.parseTime(time)));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(file + ":" + line + ": " + e.getMessage(), e);
            }
          }

          @Override
          public void problem(DataProblem problem) {
            throw new IllegalArgumentException(problem.where() + ": " + problem.detail());
          }
        });
    return new Read(events, skipped[0]);
  }

  /** A column's value; null when the file has no such column or the cell is empty. */
  private static String given(Function<String, String> values, String column) {
    String v = values.apply(column);
    return v == null || v.isEmpty() ? null : v;
  }

  private static int rating(String cell) {
    try {
      return Integer.parseInt(cell.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rating must be -1, 0 or 1, not a whole number");
    }
  }
}
