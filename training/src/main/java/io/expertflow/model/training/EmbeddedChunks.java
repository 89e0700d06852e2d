package io.expertflow.model.training;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The chunk embeddings of one document and each chunk's token count (the weights with which a
 * worker folds chunks into the document embedding).
 *
 * @param embeddings one embedding per chunk, in document order, all of one size
 * @param tokenCounts tokens per chunk, each > 0
 */
public record EmbeddedChunks(List<float[]> embeddings, int[] tokenCounts) {
  public EmbeddedChunks {
    embeddings = List.copyOf(Objects.requireNonNull(embeddings, "embeddings"));
    tokenCounts = tokenCounts.clone();
    if (embeddings.isEmpty() || embeddings.size() != tokenCounts.length) {
      throw new IllegalArgumentException(
          "need at least one chunk and one token count per chunk, got "
              + embeddings.size()
              + " embeddings and "
              + tokenCounts.length
              + " counts");
    }
    if (Arrays.stream(tokenCounts).anyMatch(c -> c <= 0)) {
      throw new IllegalArgumentException(
          "token counts must be > 0: " + Arrays.toString(tokenCounts));
    }
  }

  public int size() {
    return embeddings.size();
  }

  /**
   * The document embedding: the token-weighted mean of the chunk embeddings, L2-normalised, as the
   * worker computes it at serving time.
   */
  public float[] documentEmbedding() {
    int dim = embeddings.get(0).length;
    double[] sum = new double[dim];
    double total = 0;
    for (int c = 0; c < embeddings.size(); c++) {
      float[] e = embeddings.get(c);
      for (int i = 0; i < dim; i++) {
        sum[i] += tokenCounts[c] * (double) e[i];
      }
      total += tokenCounts[c];
    }
    double norm = 0;
    for (int i = 0; i < dim; i++) {
      sum[i] /= total;
      norm += sum[i] * sum[i];
    }
    norm = Math.max(Math.sqrt(norm), 1e-12);
    float[] doc = new float[dim];
    for (int i = 0; i < dim; i++) {
      doc[i] = (float) (sum[i] / norm);
    }
    return doc;
  }
}
