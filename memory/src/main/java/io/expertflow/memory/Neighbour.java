package io.expertflow.memory;

import java.time.Instant;

/**
 * An earlier document found near a query.
 *
 * @param requestId the earlier request's id
 * @param similarity cosine similarity to the query, in [-1, 1] (embeddings are L2-normalised, so
 *     this is their dot product)
 * @param timestamp when the earlier document was answered
 * @param predictedLabel what the head answered for it
 * @param correctedLabel what feedback said it is, or {@code null} when no feedback came
 */
public record Neighbour(
    String requestId,
    double similarity,
    Instant timestamp,
    String predictedLabel,
    String correctedLabel) {

  /** Whether feedback corrected (or confirmed) this document's label. */
  public boolean corrected() {
    return correctedLabel != null;
  }

  /** The corrected label when known, else the predicted one. */
  public String label() {
    return correctedLabel != null ? correctedLabel : predictedLabel;
  }
}
