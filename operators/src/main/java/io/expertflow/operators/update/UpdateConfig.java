package io.expertflow.operators.update;

import java.util.function.Consumer;

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
 * @param routingWeight loss weight of the routing term that keeps a chosen expert's gate row from
 *     pulling in documents it did not route before ({@link RoutingAnchors}); 0 turns it off
 * @param routingPullWeight loss weight of the routing term that draws the feedback's documents to
 *     the chosen experts that learn their label; 0 turns it off
 * @param routingMargin the gate score of such a document must stay this far below its k-th best
 *     expert's score
 * @param routingAnchorsPerStep anchor documents drawn for the routing term at every optimizer step
 * @param seed seed of the sample order
 * @param sharedRows whether the update first learns each corrected label's output row as one change
 *     shared by every expert ({@link SharedRowStage}) before fine-tuning the chosen experts
 * @param targetedBackoff whether a shared row that costs the guard set may have its bias lowered
 *     only in the experts that route the guard documents it took, besides in every expert ({@link
 *     RowBackoff#backOff})
 * @param dp the private update's settings (DP-SGD; off by default)
 */
public record UpdateConfig(
    int epochs,
    int batchSize,
    double learningRate,
    double feedbackWeight,
    double holdoutShare,
    double minHoldoutGain,
    double maxGuardDrop,
    double routingWeight,
    double routingPullWeight,
    double routingMargin,
    int routingAnchorsPerStep,
    long seed,
    boolean sharedRows,
    boolean targetedBackoff,
    DpConfig dp) {

  public static final int DEFAULT_EPOCHS = 40;
  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final double DEFAULT_LEARNING_RATE = 5e-3;
  public static final double DEFAULT_FEEDBACK_WEIGHT = 1.0;
  public static final double DEFAULT_HOLDOUT_SHARE = 0.5;
  public static final double DEFAULT_MIN_HOLDOUT_GAIN = 0.0;
  public static final double DEFAULT_MAX_GUARD_DROP = 0.005;
  public static final double DEFAULT_ROUTING_WEIGHT = 3.0;
  public static final double DEFAULT_ROUTING_PULL_WEIGHT = 0.3;
  public static final double DEFAULT_ROUTING_MARGIN = 0.1;
  public static final int DEFAULT_ROUTING_ANCHORS_PER_STEP = 256;
  public static final long DEFAULT_SEED = 42L;
  public static final boolean DEFAULT_SHARED_ROWS = true;
  public static final boolean DEFAULT_TARGETED_BACKOFF = false;

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
    require(
        routingWeight >= 0 && Double.isFinite(routingWeight),
        "routingWeight must be >= 0 (0 turns the routing term off), was " + routingWeight);
    require(
        routingPullWeight >= 0 && Double.isFinite(routingPullWeight),
        "routingPullWeight must be >= 0 (0 turns the pull off), was " + routingPullWeight);
    require(
        routingMargin >= 0 && Double.isFinite(routingMargin),
        "routingMargin must be >= 0, was " + routingMargin);
    require(
        routingAnchorsPerStep >= 0,
        "routingAnchorsPerStep must be >= 0, was " + routingAnchorsPerStep);
    java.util.Objects.requireNonNull(dp, "dp");
  }

  /** The defaults: an update that does not train privately. */
  public static UpdateConfig defaults() {
    return new UpdateConfig(
        DEFAULT_EPOCHS,
        DEFAULT_BATCH_SIZE,
        DEFAULT_LEARNING_RATE,
        DEFAULT_FEEDBACK_WEIGHT,
        DEFAULT_HOLDOUT_SHARE,
        DEFAULT_MIN_HOLDOUT_GAIN,
        DEFAULT_MAX_GUARD_DROP,
        DEFAULT_ROUTING_WEIGHT,
        DEFAULT_ROUTING_PULL_WEIGHT,
        DEFAULT_ROUTING_MARGIN,
        DEFAULT_ROUTING_ANCHORS_PER_STEP,
        DEFAULT_SEED,
        DEFAULT_SHARED_ROWS,
        DEFAULT_TARGETED_BACKOFF,
        DpConfig.disabled());
  }

  public UpdateConfig withEpochs(int value) {
    return with(c -> c.epochs = value);
  }

  public UpdateConfig withLearningRate(double value) {
    return with(c -> c.learningRate = value);
  }

  public UpdateConfig withFeedbackWeight(double value) {
    return with(c -> c.feedbackWeight = value);
  }

  public UpdateConfig withMaxGuardDrop(double value) {
    return with(c -> c.maxGuardDrop = value);
  }

  public UpdateConfig withRoutingWeight(double value) {
    return with(c -> c.routingWeight = value);
  }

  public UpdateConfig withRoutingPullWeight(double value) {
    return with(c -> c.routingPullWeight = value);
  }

  public UpdateConfig withRoutingMargin(double value) {
    return with(c -> c.routingMargin = value);
  }

  public UpdateConfig withRoutingAnchorsPerStep(int value) {
    return with(c -> c.routingAnchorsPerStep = value);
  }

  public UpdateConfig withSeed(long value) {
    return with(c -> c.seed = value);
  }

  public UpdateConfig withSharedRows(boolean value) {
    return with(c -> c.sharedRows = value);
  }

  public UpdateConfig withTargetedBackoff(boolean value) {
    return with(c -> c.targetedBackoff = value);
  }

  public UpdateConfig withDp(DpConfig value) {
    return with(c -> c.dp = value);
  }

  /** A copy with {@code change} applied to its components, validated as any config is. */
  private UpdateConfig with(Consumer<Components> change) {
    Components c = new Components(this);
    change.accept(c);
    return c.build();
  }

  /** The components of a config, mutable, for the {@code with...} copies. */
  private static final class Components {
    int epochs;
    int batchSize;
    double learningRate;
    double feedbackWeight;
    double holdoutShare;
    double minHoldoutGain;
    double maxGuardDrop;
    double routingWeight;
    double routingPullWeight;
    double routingMargin;
    int routingAnchorsPerStep;
    long seed;
    boolean sharedRows;
    boolean targetedBackoff;
    DpConfig dp;

    Components(UpdateConfig c) {
      epochs = c.epochs;
      batchSize = c.batchSize;
      learningRate = c.learningRate;
      feedbackWeight = c.feedbackWeight;
      holdoutShare = c.holdoutShare;
      minHoldoutGain = c.minHoldoutGain;
      maxGuardDrop = c.maxGuardDrop;
      routingWeight = c.routingWeight;
      routingPullWeight = c.routingPullWeight;
      routingMargin = c.routingMargin;
      routingAnchorsPerStep = c.routingAnchorsPerStep;
      seed = c.seed;
      sharedRows = c.sharedRows;
      targetedBackoff = c.targetedBackoff;
      dp = c.dp;
    }

    UpdateConfig build() {
      return new UpdateConfig(
          epochs,
          batchSize,
          learningRate,
          feedbackWeight,
          holdoutShare,
          minHoldoutGain,
          maxGuardDrop,
          routingWeight,
          routingPullWeight,
          routingMargin,
          routingAnchorsPerStep,
          seed,
          sharedRows,
          targetedBackoff,
          dp);
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid expert update config: " + message);
    }
  }
}
