package io.expertflow.cli.commands;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.cli.jobs.FingerprintSet;
import io.expertflow.cli.jobs.JobIds;
import io.expertflow.cli.jobs.SentRequests;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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

/**
 * {@code expertflow job submit}: every document of the inputs becomes one request of the job, with
 * a request id derived from the job and the document; what an earlier run of the same job already
 * wrote to the intake topic is not sent again.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submit a bulk job: each text file (HTML and .eml mail as their readable text), each such"
          + " file under a folder, each line of a JSON-lines file and each record of a CSV/TSV file"
          + " (columns text and, optionally, id) becomes one request of the job on"
          + " requests.inbound. Files that are not text (PDF, images, archives) are skipped under"
          + " a folder and refused when named. Prints the job id.",
      "Request ids are derived from the job and each document (its path or id and a hash of its"
          + " text), so running the same command again after a crash or Ctrl-C sends only what"
          + " did not reach Kafka; a document is never analysed twice.",
      "",
      "Examples:",
      "  expertflow job submit contracts/ --name contracts-2026-11",
      "  expertflow job submit tickets.jsonl more.csv --name tickets --tenant acme"
    })
public final class JobSubmitCommand implements Callable<Integer> {
  /** Attribute with the document's position in the job (0-based, in submission order). */
  public static final String SEQUENCE_ATTRIBUTE = "job.seq";

  /** Attribute with the number of distinct documents in the job. */
  public static final String TOTAL_ATTRIBUTE = "job.total";

  /** A progress line on standard error after every this many acknowledged requests. */
  static final int PROGRESS_EVERY = 10_000;

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(
      paramLabel = "PATH",
      arity = "1..*",
      description = "Files, folders, *.jsonl (*.ndjson, *.json), *.csv or *.tsv files.")
  List<Path> paths = new ArrayList<>();

  @Option(
      names = "--name",
      required = true,
      description = "Name of the job; the same name (and tenant) is the same job.")
  String name;

  @Mixin RequestOptions request = new RequestOptions();

  @Option(
      names = "--max-rate",
      paramLabel = "DOCS_PER_S",
      defaultValue = "0",
      description = "Send at most this many documents per second (default: 0, no limit).")
  double maxRate;

  @Option(
      names = "--scan-timeout",
      defaultValue = "PT5M",
      description =
          "How long reading requests.inbound for what was already sent may take"
              + " (default: ${DEFAULT-VALUE}).")
  Duration scanTimeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (request.problem() != null) {
      err.println(request.problem());
      return 2;
    }
    if (paths.stream().anyMatch(p -> p.toString().equals("-"))) {
      err.println(
          "job submit reads its inputs twice (to count them, then to send them), so it cannot read"
              + " standard input; save it to a .jsonl file and submit that");
      return 2;
    }
    DocumentSource.checkReadable(paths);
    String jobId = JobIds.jobId(request.tenant, name);
    String topic = connection.topic("requests.inbound");
    TopicExists.require(connection, topic);
    out.printf("job %s%n", jobId);
    out.flush();

    FingerprintSet inJob = new FingerprintSet();
    walk(w -> {}, r -> inJob.add(JobIds.fingerprint(requestId(jobId, r))));
    inJob.freeze();
    long total = inJob.size();
    FingerprintSet earlier =
        SentRequests.of(connection.kafkaProperties(), topic, jobId, scanTimeout);

    Map<String, Object> props = new HashMap<>(connection.kafkaProperties());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    AtomicLong sent = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long[] sequence = {0};
    long[] skipped = {0};
    long[] dispatched = {0};
    BitSet seen = new BitSet(inJob.size());
    long started = System.nanoTime();
    Thread interrupted =
        new Thread(
            () -> {
              err.printf(
                  "%njob %s: interrupted after %d request(s) were acknowledged; run the same"
                      + " command again to send the rest%n",
                  jobId, sent.get());
              err.flush();
            },
            "job-submit-interrupted");
    Runtime.getRuntime().addShutdownHook(interrupted);
    try (SchemaRegistryClient registry = connection.registryClient();
        KafkaProducer<String, InferenceRequest> producer =
            new KafkaProducer<>(
                props, new StringSerializer(), new AvroSerializer<>(registry, false))) {
      walk(
          w -> err.println("warning: " + w),
          r -> {
            String requestId = requestId(jobId, r);
            long fingerprint = JobIds.fingerprint(requestId);
            int index = inJob.indexOf(fingerprint);
            if (index < 0 || seen.get(index)) {
              return; // the same document twice in the inputs: one request
            }
            seen.set(index);
            long position = sequence[0]++;
            if (earlier.contains(fingerprint)) {
              skipped[0]++;
              return;
            }
            if (failure.get() != null) {
              return; // reported below; a rerun sends what is missing
            }
            Map<String, String> attributes = new HashMap<>();
            r.getAttributes().forEach((k, v) -> attributes.put(k.toString(), v.toString()));
            attributes.put(SEQUENCE_ATTRIBUTE, Long.toString(position));
            attributes.put(TOTAL_ATTRIBUTE, Long.toString(total));
            r.setRequestId(requestId);
            r.setJobId(jobId);
            r.setAttributes(attributes);
            throttle(started, dispatched[0]++);
            producer.send(
                new ProducerRecord<>(topic, requestId, r),
                (md, e) -> {
                  if (e instanceof RecordTooLargeException) {
                    refused.incrementAndGet();
                    err.println(SubmitCommand.tooLarge(r.getDocumentId().toString(), e, props));
                  } else if (e != null) {
                    failure.compareAndSet(null, e);
                  } else {
                    long n = sent.incrementAndGet();
                    if (n % PROGRESS_EVERY == 0) {
                      err.printf(
                          "job %s: %,d of %,d sent%n",
                          jobId, n, Math.max(n, total - earlier.size()));
                      err.flush();
                    }
                  }
                });
          });
      producer.flush();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(interrupted);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting: the hook runs and says so
      }
    }
    if (failure.get() != null) {
      err.printf(
          "job %s: sending failed after %d request(s): %s; run the same command again to send"
              + " the rest%n",
          jobId, sent.get(), failure.get().getMessage());
      return 1;
    }
    out.printf(
        "job %s: %d document(s); %d sent now, %d already on %s from an earlier run%n",
        jobId, total, sent.get(), skipped[0], topic);
    out.printf("follow it with: expertflow job wait %s%n", jobId);
    out.flush();
    if (refused.get() > 0) {
      err.printf("%d document(s) refused as too large; nothing was sent for them%n", refused.get());
      return 1;
    }
    return 0;
  }

  private void walk(Consumer<String> warnings, Consumer<InferenceRequest> sink) throws IOException {
    DocumentSource source = new DocumentSource(request.defaults(null), warnings);
    for (Path p : paths) {
      source.fromPath(p, sink);
    }
  }

  private static String requestId(String jobId, InferenceRequest r) {
    return JobIds.requestId(
        jobId, r.getDocumentId().toString(), JobIds.contentSha256(r.getText(), r.getChunks()));
  }

  /** Keeps the send rate at or below --max-rate by pausing the sending thread. */
  private void throttle(long started, long alreadySent) {
    if (maxRate <= 0) {
      return;
    }
    long dueNanos = started + (long) (alreadySent / maxRate * 1e9);
    long wait = dueNanos - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while submitting", e);
      }
    }
  }
}
