package io.expertflow.cli.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.topics.TopicNames;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes one line per document of a job, in submission order, from the topics: {@code
 * requests.inbound} (position and source), {@code responses} (labels, experts, domain, version),
 * {@code audit} (decision, rule, output hash) and {@code dead-letters}. Streaming with bounded
 * memory, for jobs of millions of documents: the job's records (picked by the request-id prefix of
 * their keys, so other jobs' values are never decoded) go to spill files on disk by request id,
 * each spill file is merged per request and re-spilled by position range, and each range is sorted
 * and written; only one spill file is in memory at a time. One thread.
 */
public final class JobExport {
  /** Positions per range file: the most documents held in memory at once. */
  public static final int RANGE = 50_000;

  /** Spill files by request id. */
  static final int HASH_BUCKETS = 64;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> REQUEST_STAGES = Set.of("intake", "worker", "compliance");

  private final Map<String, Object> clientProperties;
  private final SchemaRegistryClient registry;
  private final TopicNames topics;
  private final Duration scanTimeout;

  public JobExport(
      Map<String, Object> clientProperties,
      SchemaRegistryClient registry,
      TopicNames topics,
      Duration scanTimeout) {
    this.clientProperties = clientProperties;
    this.registry = registry;
    this.topics = topics;
    this.scanTimeout = scanTimeout;
  }

  /** What was written. */
  public record Summary(long documents, long answered, long deadLettered, long pending) {}

  /** Exports job {@code jobId} to {@code out} in {@code format}, spilling into {@code workDir}. */
  public Summary export(String jobId, ExportFormat format, Writer out, Path workDir)
      throws IOException {
    Path hashDir = Files.createDirectories(workDir.resolve("by-request"));
    Path rangeDir = Files.createDirectories(workDir.resolve("by-position"));
    long maxSeq = spillByRequest(jobId, hashDir);
    int ranges = (int) (maxSeq / RANGE) + 2; // the last one holds documents without a position
    regroupByPosition(hashDir, rangeDir, ranges);
    return write(rangeDir, ranges, format, out);
  }

  private long spillByRequest(String jobId, Path dir) throws IOException {
    AvroDeserializer<InferenceRequest> requests =
        new AvroDeserializer<>(registry, InferenceRequest.class);
    AvroDeserializer<InferenceResponse> responses =
        new AvroDeserializer<>(registry, InferenceResponse.class);
    AvroDeserializer<AuditRecord> audits = new AvroDeserializer<>(registry, AuditRecord.class);
    AvroDeserializer<DeadLetter> letters = new AvroDeserializer<>(registry, DeadLetter.class);
    long[] maxSeq = {0};
    try (SpillFiles spill = new SpillFiles(dir, HASH_BUCKETS)) {
      TopicScan.read(
          clientProperties,
          topics.requestsInbound(),
          scanTimeout,
          r -> {
            if (JobIds.belongs(r.key(), jobId)) {
              InferenceRequest q = requests.deserialize(r.topic(), r.value());
              Long seq = seq(q.getAttributes().get("job.seq"));
              if (seq != null) {
                maxSeq[0] = Math.max(maxSeq[0], seq);
              }
              spill.add(
                  r.key(),
                  new ExportRow(
                      seq,
                      r.key(),
                      q.getDocumentId().toString(),
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null));
            }
          });
      TopicScan.read(
          clientProperties,
          topics.responses(),
          scanTimeout,
          r -> {
            if (JobIds.belongs(r.key(), jobId) && r.value() != null) {
              spill.add(r.key(), answered(responses.deserialize(r.topic(), r.value())));
            }
          });
      TopicScan.read(
          clientProperties,
          topics.audit(),
          scanTimeout,
          r -> {
            if (JobIds.belongs(r.key(), jobId) && r.value() != null) {
              AuditRecord a = audits.deserialize(r.topic(), r.value());
              spill.add(
                  r.key(),
                  new ExportRow(
                      null,
                      r.key(),
                      null,
                      null,
                      null,
                      null,
                      null,
                      a.getDecision().name(),
                      a.getDecidingRule() == null ? null : a.getDecidingRule().toString(),
                      null,
                      a.getOutputSha256().toString(),
                      null,
                      null));
            }
          });
      TopicScan.read(
          clientProperties,
          topics.deadLetters(),
          scanTimeout,
          r -> {
            if (JobIds.belongs(r.key(), jobId) && r.value() != null) {
              DeadLetter d = letters.deserialize(r.topic(), r.value());
              if (REQUEST_STAGES.contains(d.getStage().toString())
                  && d.getReason() != DeadLetterReason.DUPLICATE) {
                spill.add(
                    r.key(),
                    new ExportRow(
                        null,
                        r.key(),
                        null,
                        "DEAD_LETTERED",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        d.getReason().name(),
                        d.getDetail().toString()));
              }
            }
          });
    }
    return maxSeq[0];
  }

  private static ExportRow answered(InferenceResponse r) {
    return new ExportRow(
        null,
        r.getRequestId().toString(),
        null,
        r.getStatus().name(),
        r.getLabels().stream()
            .map(l -> new ExportRow.Label(l.getLabel().toString(), l.getScore()))
            .toList(),
        r.getExperts().stream()
            .map(e -> new ExportRow.Expert(e.getExpert(), e.getWeight()))
            .toList(),
        r.getDomainExpert(),
        null,
        null,
        r.getModelVersion().toString(),
        null,
        null,
        null);
  }

  /** Merges each request's parts, one spill file at a time, into files by position range. */
  private static void regroupByPosition(Path hashDir, Path rangeDir, int ranges)
      throws IOException {
    try (SpillFiles byPosition = new SpillFiles(rangeDir, ranges)) {
      for (int b = 0; b < HASH_BUCKETS; b++) {
        Map<String, ExportRow> rows = new HashMap<>();
        for (ExportRow part : SpillFiles.read(hashDir, b)) {
          rows.merge(part.requestId(), part, ExportRow::mergedWith);
        }
        for (ExportRow row : rows.values()) {
          int range = row.seq() == null ? ranges - 1 : (int) (row.seq() / RANGE);
          byPosition.addToBucket(range, row);
        }
      }
    }
  }

  private static Summary write(Path rangeDir, int ranges, ExportFormat format, Writer out)
      throws IOException {
    long documents = 0;
    long answered = 0;
    long dead = 0;
    long pending = 0;
    format.header(out);
    for (int b = 0; b < ranges; b++) {
      List<ExportRow> rows = new ArrayList<>(SpillFiles.read(rangeDir, b));
      rows.sort(
          Comparator.comparing((ExportRow r) -> r.seq() == null ? Long.MAX_VALUE : r.seq())
              .thenComparing(ExportRow::requestId));
      for (ExportRow row : rows) {
        ExportRow done = row.finished();
        format.write(done, out);
        documents++;
        switch (done.status()) {
          case "DEAD_LETTERED" -> dead++;
          case ExportRow.PENDING -> pending++;
          default -> answered++;
        }
      }
    }
    out.flush();
    return new Summary(documents, answered, dead, pending);
  }

  private static Long seq(CharSequence value) {
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value.toString());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** JSON-lines spill files, one per bucket, opened when first written. */
  private static final class SpillFiles implements AutoCloseable {
    private final Path dir;
    private final int buckets;
    private final Map<Integer, BufferedWriter> open = new TreeMap<>();

    SpillFiles(Path dir, int buckets) {
      this.dir = dir;
      this.buckets = buckets;
    }

    void add(String requestId, ExportRow part) {
      addToBucket(Math.floorMod(JobIds.fingerprint(requestId), buckets), part);
    }

    void addToBucket(int bucket, ExportRow part) {
      try {
        BufferedWriter w = open.get(bucket);
        if (w == null) {
          w = Files.newBufferedWriter(file(dir, bucket), StandardCharsets.UTF_8);
          open.put(bucket, w);
        }
        w.write(JSON.writeValueAsString(part));
        w.newLine();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the export's spill file in " + dir, e);
      }
    }

    static List<ExportRow> read(Path dir, int bucket) throws IOException {
      Path file = file(dir, bucket);
      List<ExportRow> rows = new ArrayList<>();
      if (!Files.exists(file)) {
        return rows;
      }
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        while ((line = in.readLine()) != null) {
          rows.add(JSON.readValue(line, ExportRow.class));
        }
      }
      Files.delete(file);
      return rows;
    }

    private static Path file(Path dir, int bucket) {
      return dir.resolve(bucket + ".jsonl");
    }

    @Override
    public void close() throws IOException {
      for (BufferedWriter w : open.values()) {
        w.close();
      }
    }
  }
}
