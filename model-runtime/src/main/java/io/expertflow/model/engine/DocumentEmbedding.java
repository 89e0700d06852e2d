package io.expertflow.model.engine;

import java.util.List;

/** Folds chunk embeddings into one document embedding. Stateless and thread-safe. */
public final class DocumentEmbedding {
  private DocumentEmbedding() {}

  /**
   * The mean of the chunk embeddings weighted by each chunk's token count, L2-normalised: a long
   * chunk says more about the document than its short tail.
   *
   * @param chunkEmbeddings one embedding per chunk, all of the same size
   * @param tokenCounts tokens per chunk (each > 0), in the same order
   */
  public static float[] fold(List<float[]> chunkEmbeddings, int[] tokenCounts) {
    if (chunkEmbeddings.isEmpty()) {
      throw new IllegalArgumentException("a document needs at least one chunk embedding");
    }
    if (chunkEmbeddings.size() != tokenCounts.length) {
      throw new IllegalArgumentException(
          chunkEmbeddings.size() + " chunk embeddings but " + tokenCounts.length + " token counts");
    }
    int width = chunkEmbeddings.get(0).length;
    float[] doc = new float[width];
    double total = 0;
    for (int c = 0; c < tokenCounts.length; c++) {
      float[] chunk = chunkEmbeddings.get(c);
      if (chunk.length != width) {
        throw new IllegalArgumentException(
            "chunk " + c + " has " + chunk.length + " values, chunk 0 has " + width);
      }
      if (tokenCounts[c] <= 0) {
        throw new IllegalArgumentException(
            "chunk " + c + " has token count " + tokenCounts[c] + "; it must be > 0");
      }
      for (int i = 0; i < width; i++) {
        doc[i] += tokenCounts[c] * chunk[i];
      }
      total += tokenCounts[c];
    }
    for (int i = 0; i < width; i++) {
      doc[i] /= total;
    }
    return normalise(doc);
  }

  /** Scales {@code v} in place to unit length (a zero vector stays zero) and returns it. */
  public static float[] normalise(float[] v) {
    double sq = 0;
    for (float x : v) {
      sq += (double) x * x;
    }
    double norm = Math.max(Math.sqrt(sq), 1e-12);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / norm);
    }
    return v;
  }
}
