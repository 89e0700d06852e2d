package io.expertflow.streams.jobs.export;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.jobs.JobTopology;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

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

  private static final Set<String> REQUEST_STAGES = Set.of("intake", "worker", "compliance");

  private final Map<String, Object> clientProperties;
  private final SchemaRegistryClient registry;
  private final TopicNames topics;
  private final Duration scanTimeout;
  private final String tooSlow;

  /** For {@code expertflow job export}: a topic read past the timeout says to raise it. */
  public JobExport(
      Map<String, Object> clientProperties,
      SchemaRegistryClient registry,
      TopicNames topics,
      Duration scanTimeout) {
    this(clientProperties, registry, topics, scanTimeout, TopicScan.RAISE_SCAN_TIMEOUT);
  }

  /**
   * @param tooSlow what the message of a topic read past {@code scanTimeout} adds: what to do
   */
  public JobExport(
      Map<String, Object> clientProperties,
      SchemaRegistryClient registry,
      TopicNames topics,
      Duration scanTimeout,
      String tooSlow) {
    this.clientProperties = clientProperties;
    this.registry = registry;
    this.topics = topics;
    this.scanTimeout = scanTimeout;
    this.tooSlow = tooSlow;
  }

  /** Exports job {@code jobId} to {@code out} in {@code format}, spilling into {@code workDir}. */
  public ExportSpill.Summary export(String jobId, ExportFormat format, Writer out, Path workDir)
      throws IOException {
    try (ExportSpill spill = new ExportSpill(workDir, HASH_BUCKETS, RANGE)) {
      read(jobId, spill);
      return spill.writeInOrder(format, out);
    }
  }

  private void read(String jobId, ExportSpill spill) {
    AvroDeserializer<InferenceRequest> requests =
        new AvroDeserializer<>(registry, InferenceRequest.class);
    AvroDeserializer<InferenceResponse> responses =
        new AvroDeserializer<>(registry, InferenceResponse.class);
    AvroDeserializer<AuditRecord> audits = new AvroDeserializer<>(registry, AuditRecord.class);
    AvroDeserializer<DeadLetter> letters = new AvroDeserializer<>(registry, DeadLetter.class);
    {
      TopicScan.read(
          clientProperties,
          topics.requestsInbound(),
          scanTimeout,
          tooSlow,
          r -> {
            if (belongs(r.key(), jobId)) {
              InferenceRequest q = requests.deserialize(r.topic(), r.value());
              Long seq = seq(q.getAttributes().get("job.seq"));
              spill.add(
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
          tooSlow,
          r -> {
            if (belongs(r.key(), jobId) && r.value() != null) {
              spill.add(answered(responses.deserialize(r.topic(), r.value())));
            }
          });
      TopicScan.read(
          clientProperties,
          topics.audit(),
          scanTimeout,
          tooSlow,
          r -> {
            if (belongs(r.key(), jobId) && r.value() != null) {
              AuditRecord a = audits.deserialize(r.topic(), r.value());
              spill.add(
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
          tooSlow,
          r -> {
            if (belongs(r.key(), jobId) && r.value() != null) {
              DeadLetter d = letters.deserialize(r.topic(), r.value());
              if (REQUEST_STAGES.contains(d.getStage().toString())
                  && d.getReason() != DeadLetterReason.DUPLICATE) {
                spill.add(
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

  /**
   * Whether {@code requestId} belongs to {@code jobId}: job requests' ids are {@code <job
   * id>/<digest>}.
   */
  static boolean belongs(String requestId, String jobId) {
    return requestId != null
        && requestId.length() > jobId.length()
        && requestId.startsWith(jobId)
        && requestId.charAt(jobId.length()) == JobTopology.REQUEST_ID_SEPARATOR;
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
}
