package io.expertflow.operators.moe;

/**
 * The head's output for one document.
 *
 * @param probabilities label probabilities, in the order of {@link MoeHeadConfig#labels()}
 * @param experts the chosen base experts, best first
 * @param gates their gate weights (sum to 1)
 * @param domain the domain expert that combined them
 */
public record MoeOutput(float[] probabilities, int[] experts, float[] gates, int domain) {

  /** Index of the most probable label (the lower index on ties). */
  public int argmax() {
    int best = 0;
    for (int i = 1; i < probabilities.length; i++) {
      if (probabilities[i] > probabilities[best]) {
        best = i;
      }
    }
    return best;
  }
}
