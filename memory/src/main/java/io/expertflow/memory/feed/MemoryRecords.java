package io.expertflow.memory.feed;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.LabelScore;
import io.expertflow.avro.MemoryRecord;
import io.expertflow.avro.MemoryRecordKind;
import io.expertflow.avro.ResponseStatus;
import java.util.List;
import java.util.Optional;

/**
 * The memory topic's records and keys. An answered document is keyed by its request id; the label
 * feedback gave it by the request id and {@link #CORRECTION_SUFFIX}, so that compaction keeps both
 * (one key would keep only the later of the two). A request is forgotten by a tombstone on each of
 * its two keys ({@link #keysOf}). Stateless.
 */
public final class MemoryRecords {
  /** Appended to a request id to key its correction; NUL, which no sane request id contains. */
  public static final String CORRECTION_SUFFIX = "\u0000corrected";

  private MemoryRecords() {}

  /** The key of a request's correction. */
  public static String correctionKey(String requestId) {
    return requestId + CORRECTION_SUFFIX;
  }

  /** The request id a key of the memory topic is about. */
  public static String requestIdOf(String key) {
    return isCorrectionKey(key) ? key.substring(0, key.length() - CORRECTION_SUFFIX.length()) : key;
  }

  /** Whether {@code key} keys a correction. */
  public static boolean isCorrectionKey(String key) {
    return key.endsWith(CORRECTION_SUFFIX);
  }

  /** Both keys of a request: a tombstone on each forgets it. */
  public static List<String> keysOf(String requestId) {
    return List.of(requestId, correctionKey(requestId));
  }

  /**
   * The ANSWERED record of a response; empty unless it is OK, has labels and carries its embedding
   * (the worker's {@code includeEmbedding}).
   */
  public static Optional<MemoryRecord> answered(InferenceResponse r) {
    List<Float> embedding = r.getEmbedding();
    List<LabelScore> labels = r.getLabels();
    if (r.getStatus() != ResponseStatus.OK
        || embedding == null
        || embedding.isEmpty()
        || labels.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        MemoryRecord.newBuilder()
            .setRequestId(r.getRequestId())
            .setKind(MemoryRecordKind.ANSWERED)
            .setTenant(r.getTenant())
            .setTime(r.getProducedAt())
            .setPredictedLabel(labels.get(0).getLabel())
            .setModelVersion(r.getModelVersion())
            .setEmbedding(embedding)
            .setEncoderId(r.getEncoderId())
            .build());
  }

  /** The CORRECTED record of attributed feedback; empty when it names no corrected label. */
  public static Optional<MemoryRecord> corrected(AttributedFeedback f) {
    String label = f.getCorrectedLabel();
    if (label == null || label.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(
        MemoryRecord.newBuilder()
            .setRequestId(f.getRequestId())
            .setKind(MemoryRecordKind.CORRECTED)
            .setTime(f.getEventTime())
            .setCorrectedLabel(label)
            .build());
  }
}
