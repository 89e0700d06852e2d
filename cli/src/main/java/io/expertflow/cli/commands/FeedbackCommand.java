package io.expertflow.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.expertflow.avro.FeedbackEvent;
import io.expertflow.model.corpus.JsonLine;
import io.expertflow.operators.feedback.FeedbackValidator;
import io.expertflow.schemas.errors.ErrorText;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expertflow feedback}: rates responses and corrects their labels. */
@Command(
    name = "feedback",
    mixinStandardHelpOptions = true,
    description = {
      "Send feedback on responses to the feedback topic: a rating (-1 wrong, 0 neutral, +1 right)"
          + " and/or the label the document should have had. The streams app joins it with the"
          + " response and attributes it to the experts that served the request; weekly windows"
          + " of it drive the expert update. Give one event with flags, or many from a JSON-lines"
          + " file (--file, '-' for standard input) with the fields request_id, rating,"
          + " corrected_label, source, event_time (ISO-8601 or epoch ms) and feedback_id (all"
          + " but request_id optional; at least one of rating and corrected_label). Events the"
          + " streams app would dead-letter (a corrected label with a line break or white space"
          + " at either end, a rating outside -1..1) are refused before anything is sent.",
      "",
      "Examples:",
      "  expertflow feedback --request-id r-42 --rating -1 --label spam",
      "  expertflow feedback --request-id r-43 --rating 1",
      "  expertflow feedback --file corrections.jsonl",
      "  echo '{\"request_id\":\"r-44\",\"corrected_label\":\"news\"}' | expertflow feedback"
          + " --file -"
    })
public final class FeedbackCommand implements Callable<Integer> {
  /** The streams app's own check of an event, run before sending. */
  private static final FeedbackValidator VALIDATOR = new FeedbackValidator();

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(
      names = "--request-id",
      paramLabel = "ID",
      description = "The request whose response is rated.")
  String requestId;

  @Option(
      names = "--rating",
      paramLabel = "-1|0|1",
      description = "-1 (wrong), 0 (neutral) or 1 (right).")
  Integer rating;

  @Option(
      names = {"--label", "--corrected-label"},
      paramLabel = "LABEL",
      description = "The label the document should have had.")
  String label;

  @Option(
      names = "--source",
      paramLabel = "WHO",
      description =
          "Who gives the feedback (a user or system id; optional); with --file, of the events"
              + " that name none.")
  String source;

  @Option(
      names = "--event-time",
      paramLabel = "TIME",
      description = "When it was given, ISO-8601 (default: now); weekly windows use this time.")
  String eventTime;

  @Option(
      names = "--feedback-id",
      paramLabel = "ID",
      description =
          "Unique id of the event (default: derived from the request, rating, label and source,"
              + " so the same feedback sent twice counts once).")
  String feedbackId;

  @Option(
      names = "--file",
      paramLabel = "FILE",
      description =
          "JSON-lines file of feedback events, or - for standard input; or a CSV/TSV file with"
              + " the same columns, feedback_source for who gave it (a job export's CSV with a"
              + " corrected_label or rating column added: rows with neither are skipped).")
  Path file;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<FeedbackEvent> events = new ArrayList<>();
    try {
      if (file != null) {
        if (requestId != null || rating != null || label != null) {
          throw new IllegalArgumentException(
              "give either --file or --request-id with --rating/--label, not both");
        }
        if (FeedbackTable.isTable(file)) {
          FeedbackTable.Read table = FeedbackTable.read(file, Instant.now(), source);
          events.addAll(table.events());
          if (table.skipped() > 0) {
            err.printf(
                "feedback: skipped %d row(s) of %s with neither a rating nor a corrected label%n",
                table.skipped(), file);
          }
        } else {
          try (Reader in =
              file.toString().equals("-")
                  ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                  : Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            events.addAll(parseLines(in, file.toString(), Instant.now(), source));
          }
        }
      } else {
        if (requestId == null) {
          throw new IllegalArgumentException(
              "--request-id is required (or --file); see expertflow feedback --help");
        }
        events.add(
            event(
                feedbackId,
                requestId,
                rating,
                label,
                source,
                eventTime == null ? Instant.now() : parseTime(eventTime)));
      }
    } catch (IllegalArgumentException e) {
      err.println("feedback: " + e.getMessage());
      return 2;
    }
    send(events);
    out.printf("sent %d feedback event(s) to %s%n", events.size(), connection.topic("feedback"));
    out.flush();
    return 0;
  }

  private void send(List<FeedbackEvent> events) {
    Map<String, Object> props = connection.kafkaProperties();
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    AtomicReference<Exception> failure = new AtomicReference<>();
    String topic = connection.topic("feedback");
    try (SchemaRegistryClient registry = connection.registryClient();
        KafkaProducer<String, FeedbackEvent> producer =
            new KafkaProducer<>(
                props, new StringSerializer(), new AvroSerializer<>(registry, false))) {
      for (FeedbackEvent e : events) {
        producer.send(
            new ProducerRecord<>(topic, e.getRequestId(), e),
            (md, ex) -> {
              if (ex != null) {
                failure.compareAndSet(null, ex);
              }
            });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "sending feedback to " + topic + " failed: " + failure.get().getMessage(), failure.get());
    }
  }

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
