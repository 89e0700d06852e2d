package io.expertflow.memory;

/**
 * Settings of {@link NeighbourFusion}, validated when built.
 *
 * @param weight {@code w} in {@code p = (1 - w) * head + w * knn}, in [0, 1]; 0 is the head alone
 * @param temperature softmax temperature over the voting neighbours' similarities, > 0; small
 *     values let the nearest neighbour dominate, large ones weigh all voters alike
 * @param similarityFloor a neighbour votes only at this cosine similarity or above, in [-1, 1]
 * @param predictedLabelsVote whether neighbours without a corrected label vote with the head's
 *     predicted label; off by default, since that label is the head's own earlier answer and adds
 *     no knowledge the head lacks
 * @param nearDuplicateThreshold the nearest neighbour at this cosine similarity or above flags the
 *     query as a near-duplicate, in [-1, 1]
 */
public record FusionConfig(
    double weight,
    double temperature,
    double similarityFloor,
    boolean predictedLabelsVote,
    double nearDuplicateThreshold) {
  /** Chosen on the validation split of the built-in corpora (docs/MEMORY.md). */
  public static final double DEFAULT_WEIGHT = 0.5;

  public static final double DEFAULT_TEMPERATURE = 0.05;
  public static final double DEFAULT_SIMILARITY_FLOOR = 0.5;
  public static final boolean DEFAULT_PREDICTED_LABELS_VOTE = false;

  /**
   * A conservative cut meant for the same text re-sent with small edits (a signature, a quoted
   * line); not tuned (docs/MEMORY.md gives the share of test documents it flags).
   */
  public static final double DEFAULT_NEAR_DUPLICATE_THRESHOLD = 0.95;

  public FusionConfig {
    if (!(weight >= 0 && weight <= 1)) {
      throw new IllegalArgumentException("fusion weight must be in [0, 1], was " + weight);
    }
    if (!(temperature > 0 && Double.isFinite(temperature))) {
      throw new IllegalArgumentException(
          "fusion temperature must be a finite number > 0, was " + temperature);
    }
    if (!(similarityFloor >= -1 && similarityFloor <= 1)) {
      throw new IllegalArgumentException(
          "similarity floor must be in [-1, 1], was " + similarityFloor);
    }
    if (!(nearDuplicateThreshold >= -1 && nearDuplicateThreshold <= 1)) {
      throw new IllegalArgumentException(
          "near-duplicate threshold must be in [-1, 1], was " + nearDuplicateThreshold);
    }
  }

  public static FusionConfig defaults() {
    return new FusionConfig(
        DEFAULT_WEIGHT,
        DEFAULT_TEMPERATURE,
        DEFAULT_SIMILARITY_FLOOR,
        DEFAULT_PREDICTED_LABELS_VOTE,
        DEFAULT_NEAR_DUPLICATE_THRESHOLD);
  }

  public FusionConfig withWeight(double weight) {
    return new FusionConfig(
        weight, temperature, similarityFloor, predictedLabelsVote, nearDuplicateThreshold);
  }

  public FusionConfig withTemperature(double temperature) {
    return new FusionConfig(
        weight, temperature, similarityFloor, predictedLabelsVote, nearDuplicateThreshold);
  }

  public FusionConfig withSimilarityFloor(double similarityFloor) {
    return new FusionConfig(
        weight, temperature, similarityFloor, predictedLabelsVote, nearDuplicateThreshold);
  }

  public FusionConfig withPredictedLabelsVote(boolean predictedLabelsVote) {
    return new FusionConfig(
        weight, temperature, similarityFloor, predictedLabelsVote, nearDuplicateThreshold);
  }
}
