package io.expertflow.memory;

import java.util.Optional;

/**
 * The head's probabilities fused with the neighbours' labels.
 *
 * @param probabilities one per label, in the label order of the {@link NeighbourFusion}; sums to 1
 * @param voters neighbours whose label entered the fusion (0: the probabilities are the head's)
 * @param nearDuplicate the nearest neighbour when it is at or above the near-duplicate threshold
 */
public record FusedPrediction(
    float[] probabilities, int voters, Optional<Neighbour> nearDuplicate) {
  public FusedPrediction {
    probabilities = probabilities.clone();
  }

  @Override
  public float[] probabilities() {
    return probabilities.clone();
  }

  /** Index of the most probable label (the first on a tie). */
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
