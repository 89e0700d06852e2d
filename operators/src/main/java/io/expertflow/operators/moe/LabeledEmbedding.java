package io.expertflow.operators.moe;

import java.util.Objects;

/**
 * One training or evaluation sample: an embedding and the index of its label in {@link
 * MoeHeadConfig#labels()}. The array is not copied; callers must not mutate it afterwards.
 */
public record LabeledEmbedding(float[] embedding, int label) {
  public LabeledEmbedding {
    Objects.requireNonNull(embedding, "embedding");
    if (label < 0) {
      throw new IllegalArgumentException("label index must be >= 0, was " + label);
    }
  }
}
