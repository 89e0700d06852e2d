package io.expertflow.memory.feed;

import io.expertflow.avro.MemoryRecord;
import io.expertflow.memory.DocumentMemory;
import io.expertflow.memory.MemoryEntry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the memory topic's records to a {@link DocumentMemory}, in the order read: an ANSWERED
 * record upserts the entry, a CORRECTED one sets its corrected label, a tombstone forgets. The
 * topic is partitioned by key, and a request's two keys land on different partitions, so a
 * correction may be read before the document it corrects: it is kept (at most {@code
 * maxPendingCorrections}, the oldest dropped first) and applied when the document arrives; an
 * ANSWERED record read again after its correction (a replay) keeps the correction the index holds.
 * Records the memory cannot hold (no embedding, another dimension, past retention) are skipped and
 * counted, never applied half. Not thread-safe: the feed's thread owns it, as it owns the memory's
 * writes.
 */
public final class MemoryFeedApplier {
  private final DocumentMemory memory;
  private final Duration retention;
  private final Clock clock;
  private final Map<String, String> pending;
  private long applied;
  private long skipped;
  private String lastSkipReason;

  public MemoryFeedApplier(
      DocumentMemory memory, Duration retention, Clock clock, int maxPendingCorrections) {
    this.memory = memory;
    this.retention = retention;
    this.clock = clock;
    this.pending =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > maxPendingCorrections;
          }
        };
  }

  /**
   * Applies one record of the topic.
   *
   * @param value the record, or {@code null} for a tombstone
   * @return whether it changed the memory (false: skipped, see {@link #lastSkipReason()})
   */
  public boolean apply(String key, MemoryRecord value) throws IOException {
    String requestId = MemoryRecords.requestIdOf(key);
    if (value == null) {
      pending.remove(requestId);
      if (!MemoryRecords.isCorrectionKey(key)) {
        memory.delete(requestId);
      }
      applied++;
      return true;
    }
    return switch (value.getKind()) {
      case ANSWERED -> answered(value);
      case CORRECTED -> corrected(value);
    };
  }

  private boolean answered(MemoryRecord r) throws IOException {
    List<Float> values = r.getEmbedding();
    if (values == null || values.isEmpty() || r.getTenant() == null) {
      return skip("an ANSWERED record without embedding or tenant");
    }
    if (r.getTime().isBefore(cutoff())) {
      return skip("answered before the retention cut-off");
    }
    float[] embedding = new float[values.size()];
    for (int i = 0; i < embedding.length; i++) {
      embedding[i] = values.get(i);
    }
    String corrected = pending.get(r.getRequestId());
    if (corrected == null) {
      Optional<MemoryEntry> existing = memory.get(r.getRequestId());
      corrected = existing.map(MemoryEntry::correctedLabel).orElse(null);
    }
    String predicted = r.getPredictedLabel() == null ? "" : r.getPredictedLabel();
    if (predicted.isEmpty()) {
      return skip("an ANSWERED record without predicted label");
    }
    String encoder =
        r.getEncoderId() == null || r.getEncoderId().isEmpty() ? null : r.getEncoderId();
    try {
      memory.upsert(
          new MemoryEntry(
              r.getRequestId(),
              r.getTenant(),
              r.getTime(),
              predicted,
              corrected,
              embedding,
              encoder));
    } catch (IllegalArgumentException e) {
      // another encoder's dimension, or a vector that is not unit length
      return skip(e.getMessage());
    }
    applied++;
    return true;
  }

  private boolean corrected(MemoryRecord r) throws IOException {
    if (r.getCorrectedLabel() == null || r.getCorrectedLabel().isEmpty()) {
      return skip("a CORRECTED record without label");
    }
    pending.put(r.getRequestId(), r.getCorrectedLabel());
    memory.correct(r.getRequestId(), r.getCorrectedLabel());
    applied++;
    return true;
  }

  /** Deletes the entries past retention; the feed calls it now and then. */
  public void enforceRetention() throws IOException {
    memory.deleteOlderThan(cutoff());
  }

  private Instant cutoff() {
    return clock.instant().minus(retention);
  }

  private boolean skip(String reason) {
    skipped++;
    lastSkipReason = reason;
    return false;
  }

  /** Records applied so far. */
  public long applied() {
    return applied;
  }

  /** Records skipped so far. */
  public long skipped() {
    return skipped;
  }

  /** Why the last skipped record was skipped; null when none was. */
  public String lastSkipReason() {
    return lastSkipReason;
  }

  /** Corrections waiting for their document. */
  public int pendingCorrections() {
    return pending.size();
  }
}
