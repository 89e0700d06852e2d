package io.expertflow.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.expertflow.avro.FeedbackEvent;
import io.expertflow.model.corpus.JsonLine;
import io.expertflow.operators.feedback.FeedbackValidator;
import io.expertflow.schemas.errors.ErrorText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Feedback events as {@code expertflow feedback} builds them: from its flags, from JSON Lines (and,
 * through {@link FeedbackTable}, from a CSV or TSV file), each checked as the streams app checks an
 * event, so that what it would dead-letter is refused before anything is sent. Stateless.
 */
final class FeedbackEvents {
  /** The streams app's own check of an event, run before sending. */
  private static final FeedbackValidator VALIDATOR = new FeedbackValidator();

  private FeedbackEvents() {}

  /** Parses JSON lines; blank lines are skipped; a bad line fails with its number. */
  static List<FeedbackEvent> parseLines(Reader reader, String name, Instant now)
      throws IOException {
    return parseLines(reader, name, now, null);
  }

  /**
   * As {@link #parseLines(Reader, String, Instant)}, with {@code defaultSource} (or null) as the
   * source of lines that name none.
   */
  static List<FeedbackEvent> parseLines(
      Reader reader, String name, Instant now, String defaultSource) throws IOException {
    List<FeedbackEvent> events = new ArrayList<>();
    BufferedReader in = new BufferedReader(reader);
    String line;
    int n = 0;
    while ((line = in.readLine()) != null) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode o = JsonLine.parse(line);
        if (!o.isObject()) {
          throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode time = o.path("event_time");
        events.add(
            event(
                text(o, "feedback_id"),
                text(o, "request_id"),
                rating(o.path("rating")),
                text(o, "corrected_label"),
                text(o, "source") == null ? defaultSource : text(o, "source"),
                time.isMissingNode() || time.isNull()
                    ? now
                    : time.isNumber()
                        ? Instant.ofEpochMilli(time.asLong())
                        : parseTime(time.asText())));
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException(name + " line " + n + ": " + ErrorText.of(e), e);
      }
    }
    return events;
  }

  /** A validated event; throws saying which field is wrong. */
  static FeedbackEvent event(
      String feedbackId,
      String requestId,
      Integer rating,
      String label,
      String source,
      Instant eventTime) {
    if (requestId == null || requestId.isBlank()) {
      throw new IllegalArgumentException("request_id is missing");
    }
    if (rating == null && (label == null || label.isBlank())) {
      throw new IllegalArgumentException(
          "give a rating (-1, 0, 1) and/or a corrected label for request " + requestId);
    }
    if (rating != null && (rating < -1 || rating > 1)) {
      throw new IllegalArgumentException("rating must be -1, 0 or 1, was " + rating);
    }
    FeedbackEvent event =
        FeedbackEvent.newBuilder()
            .setFeedbackId(
                feedbackId == null || feedbackId.isBlank()
                    ? derivedId(requestId, rating, label, source)
                    : feedbackId)
            .setRequestId(requestId)
            .setRating(rating)
            .setCorrectedLabel(label == null || label.isBlank() ? null : label)
            .setSource(source)
            .setEventTime(eventTime)
            .build();
    // what the streams app would dead-letter is refused here, before anything is sent
    VALIDATOR
        .problem(event)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    return event;
  }

  /**
   * The id of feedback that names none: the same request, rating, label and source always give the
   * same id, so feedback sent twice (a file sent again) counts once in the streams app.
   */
  static String derivedId(String requestId, Integer rating, String label, String source) {
    String content =
        String.join(
            "\u0000",
            requestId,
            String.valueOf(rating),
            label == null || label.isBlank() ? "" : label,
            source == null ? "" : source);
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return "fb-" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A plain value as text; an object or array is refused rather than read as "". */
  private static String text(JsonNode o, String field) {
    JsonNode v = o.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isValueNode()) {
      throw new IllegalArgumentException(
          field + " must be a string, not " + DocumentSource.kind(v));
    }
    return v.asText();
  }

  /** A whole number; "good", 0.5 or true would otherwise be read as a rating. */
  private static Integer rating(JsonNode v) {
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException(
          "rating must be -1, 0 or 1, not " + DocumentSource.kind(v));
    }
    return v.intValue();
  }

  static Instant parseTime(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "event time '" + value + "' is not ISO-8601 (e.g. 2026-03-02T10:15:30Z)");
    }
  }
}
