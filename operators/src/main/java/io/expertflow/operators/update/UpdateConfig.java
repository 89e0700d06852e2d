package io.expertflow.operators.update;

/**
 * Settings of {@link ExpertUpdater}. Immutable and validated on construction.
 *
 * @param epochs passes over the training samples (feedback plus replay)
 * @param batchSize samples per optimizer step
 * @param learningRate Adam step size
 * @param feedbackWeight loss weight of a feedback sample relative to a replayed one (1 = equal)
 * @param holdoutShare share of each label's feedback held out to judge the update
 * @param minHoldoutGain held-out accuracy must rise by more than this (absolute, 0.01 = 1 point)
 * @param maxGuardDrop guard-set accuracy may fall by at most this (absolute, 0.005 = 0.5 points)
 * @param seed seed of the sample order
 */
public record UpdateConfig(
    int epochs,
    int batchSize,
    double learningRate,
    double feedbackWeight,
    double holdoutShare,
    double minHoldoutGain,
    double maxGuardDrop,
    long seed) {

  public static final int DEFAULT_EPOCHS = 40;
  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final double DEFAULT_LEARNING_RATE = 5e-3;
  public static final double DEFAULT_FEEDBACK_WEIGHT = 1.0;
  public static final double DEFAULT_HOLDOUT_SHARE = 0.5;
  public static final double DEFAULT_MIN_HOLDOUT_GAIN = 0.0;
  public static final double DEFAULT_MAX_GUARD_DROP = 0.005;
  public static final long DEFAULT_SEED = 42L;

  public UpdateConfig {
    require(epochs > 0, "epochs must be > 0, was " + epochs);
    require(batchSize > 0, "batchSize must be > 0, was " + batchSize);
    require(
        learningRate > 0 && Double.isFinite(learningRate),
        "learningRate must be a positive finite number, was " + learningRate);
    require(
        feedbackWeight > 0 && Double.isFinite(feedbackWeight),
        "feedbackWeight must be a positive finite number, was " + feedbackWeight);
    require(
        holdoutShare > 0 && holdoutShare < 1,
        "holdoutShare must be in (0, 1): without held-out feedback nothing can judge the update,"
            + " was "
            + holdoutShare);
    require(
        minHoldoutGain >= 0 && minHoldoutGain < 1,
        "minHoldoutGain must be in [0, 1), was " + minHoldoutGain);
    require(
        maxGuardDrop >= 0 && maxGuardDrop < 1,
        "maxGuardDrop must be in [0, 1), was " + maxGuardDrop);
  }

  public static UpdateConfig defaults() {
    return new UpdateConfig(
        DEFAULT_EPOCHS,
        DEFAULT_BATCH_SIZE,
        DEFAULT_LEARNING_RATE,
        DEFAULT_FEEDBACK_WEIGHT,
        DEFAULT_HOLDOUT_SHARE,
        DEFAULT_MIN_HOLDOUT_GAIN,
        DEFAULT_MAX_GUARD_DROP,
        DEFAULT_SEED);
  }

  public UpdateConfig withEpochs(int value) {
    return new UpdateConfig(
        value,
        batchSize,
        learningRate,
        feedbackWeight,
        holdoutShare,
        minHoldoutGain,
        maxGuardDrop,
        seed);
  }

  public UpdateConfig withLearningRate(double value) {
    return new UpdateConfig(
        epochs, batchSize, value, feedbackWeight, holdoutShare, minHoldoutGain, maxGuardDrop, seed);
  }

  public UpdateConfig withFeedbackWeight(double value) {
    return new UpdateConfig(
        epochs, batchSize, learningRate, value, holdoutShare, minHoldoutGain, maxGuardDrop, seed);
  }

  public UpdateConfig withMaxGuardDrop(double value) {
    return new UpdateConfig(
        epochs, batchSize, learningRate, feedbackWeight, holdoutShare, minHoldoutGain, value, seed);
  }

  public UpdateConfig withSeed(long value) {
    return new UpdateConfig(
        epochs,
        batchSize,
        learningRate,
        feedbackWeight,
        holdoutShare,
        minHoldoutGain,
        maxGuardDrop,
        value);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid expert update config: " + message);
    }
  }
}
