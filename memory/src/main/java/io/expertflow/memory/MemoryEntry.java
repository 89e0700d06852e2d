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
 * @param encoder which encoder made the embedding ({@code BundleManifest.encoderId()}), or {@code
 *     null} when its record did not say (written before records named it); a query that names an
 *     encoder sees only entries of that encoder and entries that name none
 */
public record MemoryEntry(
    String requestId,
    String tenant,
    Instant timestamp,
    String predictedLabel,
    String correctedLabel,
    float[] embedding,
    String encoder) {
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
    if (encoder != null) {
      requireText(encoder, "encoder");
    }
  }

  /** An entry whose encoder is not known. */
  public MemoryEntry(
      String requestId,
      String tenant,
      Instant timestamp,
      String predictedLabel,
      String correctedLabel,
      float[] embedding) {
    this(requestId, tenant, timestamp, predictedLabel, correctedLabel, embedding, null);
  }

  /** The same entry without a corrected label yet, of an encoder not known. */
  public static MemoryEntry answered(
      String requestId, String tenant, Instant timestamp, String predictedLabel, float[] vector) {
    return new MemoryEntry(requestId, tenant, timestamp, predictedLabel, null, vector, null);
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
