package io.expertflow.model;

import java.util.List;

/**
 * What the model says about one text.
 *
 * @param topLabels the most probable labels, best first
 * @param experts the base experts that handled it, best first
 * @param gates their gate weights
 * @param domain the domain expert that combined them
 * @param chunkCount chunks the text was split into
 * @param truncated whether the tokenizer dropped part of the text
 */
public record TextAnalysis(
    List<LabelScore> topLabels,
    int[] experts,
    float[] gates,
    int domain,
    int chunkCount,
    boolean truncated) {

  /** A label with its probability. */
  public record LabelScore(String label, float score) {}
}
