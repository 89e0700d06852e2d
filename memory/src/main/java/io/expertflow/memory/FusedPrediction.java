package io.expertflow.memory;

import java.util.List;
import java.util.Optional;

/**
 * The head's probabilities fused with the neighbours' labels.
 *
 * @param probabilities one per label of {@code labels}; sums to 1
 * @param voters neighbours whose label entered the fusion (0: the probabilities are the head's)
 * @param nearDuplicate the nearest neighbour when it is at or above the near-duplicate threshold
 * @param labels the {@link NeighbourFusion}'s labels, followed by the corrected labels of voters
 *     that the head does not have (new labels), in the order the neighbours came
 */
public record FusedPrediction(
    float[] probabilities, int voters, Optional<Neighbour> nearDuplicate, List<String> labels) {
  public FusedPrediction {
    probabilities = probabilities.clone();
    labels = List.copyOf(labels);
    if (labels.size() != probabilities.length) {
      throw new IllegalArgumentException(
          probabilities.length + " probabilities for " + labels.size() + " labels");
    }
  }

  /** The most probable label. */
  public String label() {
    return labels.get(argmax());
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
