package io.expertflow.cli.commands;

import io.expertflow.avro.FeedbackEvent;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
            events.addAll(FeedbackEvents.parseLines(in, file.toString(), Instant.now(), source));
          }
        }
      } else {
        if (requestId == null) {
          throw new IllegalArgumentException(
              "--request-id is required (or --file); see expertflow feedback --help");
        }
        events.add(
            FeedbackEvents.event(
                feedbackId,
                requestId,
                rating,
                label,
                source,
                eventTime == null ? Instant.now() : FeedbackEvents.parseTime(eventTime)));
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

  private void send(List<FeedbackEvent> events) throws InterruptedException {
    Map<String, Object> props = connection.kafkaProperties();
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    AtomicReference<Exception> failure = new AtomicReference<>();
    String topic = connection.topic("feedback");
    TopicExists.require(connection, topic);
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
}
