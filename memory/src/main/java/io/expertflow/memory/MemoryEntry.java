package io.expertflow.memory;

import java.time.Instant;
import java.util.Objects;

/**
 * One answered document as the memory keeps it: never its text, only its embedding and what was
 * said about it.
 *
 * @param requestId the request's id; the memory's unique key (a second entry with the same id
 *     replaces the first, whatever its tenant)
 * @param tenant the tenant that sent the request; only this tenant's queries see the entry
 * @param timestamp when the document was answered; retention deletes by it
 * @param predictedLabel the label the head answered
 * @param correctedLabel the label feedback gave, or {@code null} while none is known
 * @param embedding the document embedding, L2-normalised, of the memory's dimension
 */
public record MemoryEntry(
    String requestId,
    String tenant,
    Instant timestamp,
    String predictedLabel,
    String correctedLabel,
    float[] embedding) {
  public MemoryEntry {
    requireText(requestId, "requestId");
    requireText(tenant, "tenant");
    Objects.requireNonNull(timestamp, "timestamp");
    requireText(predictedLabel, "predictedLabel");
    if (correctedLabel != null) {
      requireText(correctedLabel, "correctedLabel");
    }
    Objects.requireNonNull(embedding, "embedding");
    embedding = embedding.clone();
  }

  /** The same entry without a corrected label yet. */
  public static MemoryEntry answered(
      String requestId, String tenant, Instant timestamp, String predictedLabel, float[] vector) {
    return new MemoryEntry(requestId, tenant, timestamp, predictedLabel, null, vector);
  }

  @Override
  public float[] embedding() {
    return embedding.clone();
  }

  float[] embeddingView() {
    return embedding;
  }

  static void requireText(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " must be a non-empty string, was " + value);
    }
  }
}
