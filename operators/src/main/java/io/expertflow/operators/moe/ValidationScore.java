package io.expertflow.operators.moe;

import java.util.List;

/**
 * How a head does on the validation samples: its accuracy and its mean cross-entropy. Training
 * keeps the epoch (and the anchor weight) whose score is best by {@link
 * MoeTrainingConfig#selectBy()}.
 *
 * @param accuracy share of samples whose arg-max label is right (NaN without samples)
 * @param loss mean of {@code -ln p(label)} over the samples, each probability floored at {@link
 *     #MIN_PROBABILITY} (NaN without samples)
 */
public record ValidationScore(double accuracy, double loss) {
  /** The floor of a probability before its logarithm, so that one certain mistake stays finite. */
  public static final double MIN_PROBABILITY = 1e-12;

  /** The score of no samples: never better than another. */
  public static final ValidationScore NONE = new ValidationScore(Double.NaN, Double.NaN);

  /** Scores {@code weights} on {@code samples} in one forward pass each. */
  public static ValidationScore of(MoeHeadWeights weights, List<LabeledEmbedding> samples) {
    if (samples.isEmpty()) {
      return NONE;
    }
    MoeHeadReference head = new MoeHeadReference(weights);
    int correct = 0;
    double loss = 0;
    for (LabeledEmbedding s : samples) {
      MoeOutput out = head.forward(s.embedding());
      correct += out.argmax() == s.label() ? 1 : 0;
      loss -= Math.log(Math.max(MIN_PROBABILITY, out.probabilities()[s.label()]));
    }
    return new ValidationScore((double) correct / samples.size(), loss / samples.size());
  }

  /**
   * Whether this score is strictly better than {@code other} by {@code by}: a lower loss or a
   * higher accuracy. A score against {@link #NONE} is better; {@link #NONE} is never better.
   */
  public boolean betterThan(ValidationScore other, MoeTrainingConfig.Selection by) {
    double mine = by == MoeTrainingConfig.Selection.LOSS ? -loss : accuracy;
    double theirs = by == MoeTrainingConfig.Selection.LOSS ? -other.loss : other.accuracy;
    if (Double.isNaN(mine)) {
      return false;
    }
    return Double.isNaN(theirs) || mine > theirs;
  }
}
