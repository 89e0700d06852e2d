package io.expertflow.cli.commands;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.access.KafkaAccessDenied;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code expertflow submit}: sends documents to the intake topic. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submit documents for analysis: each text file (HTML and .eml mail as their readable"
          + " text), each such file under a folder, each line of a JSON-lines file (*.jsonl,"
          + " *.ndjson, *.json) or of standard input (-) and each record of a CSV or TSV file"
          + " (column 'text') becomes one InferenceRequest on requests.inbound. Files that are not"
          + " text (PDF, images, archives) are skipped under a folder and refused when named.",
      "",
      "Examples:",
      "  expertflow submit docs/                       # every text file under docs/",
      "  expertflow submit --tenant acme a.txt b.txt",
      "  expertflow submit --ids tickets.csv > sent.tsv   # request id and document id per line",
      "  echo '{\"text\":\"hello\",\"priority\":5}' | expertflow submit -"
    })
public final class SubmitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(
      paramLabel = "PATH",
      arity = "1..*",
      description =
          "Files, folders, *.jsonl (*.ndjson, *.json), *.csv or *.tsv files, or - for JSON lines on"
              + " standard input.")
  List<Path> paths = new ArrayList<>();

  @Mixin RequestOptions request = new RequestOptions();

  @Option(
      names = "--deadline-ms",
      paramLabel = "MS",
      description =
          "Answer wanted within MS milliseconds from now; later answers come back EXPIRED.")
  Long deadlineMs;

  @Option(
      names = "--ids",
      description =
          "Print each request Kafka acknowledged as its request id and document id, separated by"
              + " a tab, one per line on standard output (the count then goes to standard error):"
              + " the ids 'expertflow status' and 'expertflow feedback' take.")
  boolean printIds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (request.problem() != null) {
      err.println(request.problem());
      return 2;
    }
    DocumentSource.checkReadable(paths);
    String topic = connection.topic("requests.inbound");
    TopicExists.require(connection, topic);
    Map<String, Object> props = connection.kafkaProperties();
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    AtomicLong sent = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (SchemaRegistryClient registry = connection.registryClient();
        KafkaProducer<String, InferenceRequest> producer =
            new KafkaProducer<>(
                props, new StringSerializer(), new AvroSerializer<>(registry, false))) {
      DocumentSource source =
          new DocumentSource(request.defaults(deadlineMs), w -> err.println("warning: " + w));
      java.util.function.Consumer<InferenceRequest> sink =
          r ->
              producer.send(
                  new ProducerRecord<>(topic, r.getRequestId(), r),
                  (md, e) -> {
                    if (e instanceof RecordTooLargeException) {
                      refused.incrementAndGet();
                      err.println(tooLarge(r.getDocumentId().toString(), e, props));
                    } else if (e != null) {
                      failure.compareAndSet(null, e);
                    } else {
                      if (printIds) {
                        out.println(r.getRequestId() + "\t" + r.getDocumentId());
                      }
                      if (sent.incrementAndGet() % 1000 == 0) {
                        err.printf("\rsubmitted %,d", sent.get());
                      }
                    }
                  });
      for (Path p : paths) {
        if (p.toString().equals("-")) {
          source.fromJsonLines(System.in, "stdin", sink);
        } else {
          source.fromPath(p, sink);
        }
      }
      producer.flush();
    }
    if (failure.get() != null) {
      err.println(
          "submit failed after "
              + sent.get()
              + " records: "
              + KafkaAccessDenied.of(failure.get(), KafkaAccessDenied.WRITE)
                  .map(Throwable::getMessage)
                  .orElse(failure.get().getMessage()));
      return 1;
    }
    out.flush();
    PrintWriter summary = printIds ? err : out;
    summary.printf("submitted %d request(s) to %s%n", sent.get(), topic);
    summary.flush();
    if (refused.get() > 0) {
      err.printf("%d document(s) refused as too large; nothing was sent for them%n", refused.get());
      return 1;
    }
    return 0;
  }

  /** Names the document and both limits a record must fit, and what to do. */
  static String tooLarge(String documentId, Exception e, Map<String, Object> props) {
    Object producerLimit =
        props.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, DEFAULT_MAX_REQUEST_SIZE);
    return "refused "
        + documentId
        + ": its request is larger than a Kafka record may be ("
        + e.getMessage()
        + "). A record must fit both the producer's max.request.size (here "
        + producerLimit
        + " bytes; set it in --command-config) and the topic's max.message.bytes on the"
        + " brokers (1 MiB unless raised); split the document into smaller ones or raise both"
        + " limits.";
  }

  /** Kafka's default {@code max.request.size}. */
  private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
}
