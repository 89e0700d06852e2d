package io.expertflow.operators.moe;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Hyper-parameters of {@link MoeHeadTrainer}. Immutable and validated on construction.
 *
 * @param epochs passes over the training set
 * @param batchSize samples per optimizer step
 * @param learningRate Adam step size
 * @param weightDecay decoupled L2 decay per step (AdamW style), 0 to disable
 * @param balanceRate step {@code u} of the auxiliary-loss-free balancing: after each batch every
 *     expert's routing bias moves by {@code u * sign(meanLoad - load[e])}; 0 disables balancing
 * @param routingNoise standard deviation of Gaussian noise added to the selection scores during
 *     training only (noisy top-k); 0 disables it
 * @param reservoirPerExpert capacity of each expert's replay reservoir
 * @param seed seed of every random choice (initialisation, shuffling, noise, reservoirs)
 * @param start how the experts start: {@link Start#UPCYCLED_FROM_LINEAR} (a dense head that starts
 *     as the logistic regression, trained, and copied into every expert), {@link Start#UPCYCLED}
 *     (the same from random weights) or {@link Start#RANDOM} (the earlier training)
 * @param anchorWeights with {@link Start#UPCYCLED}: the weights of the L2 pull of each expert
 *     toward the dense start that are tried; the one with the best validation score is kept
 * @param patience with {@link Start#UPCYCLED}: each stage stops after this many epochs without a
 *     better validation score
 * @param specialisingRate with {@link Start#UPCYCLED}: the Adam step size once the experts start
 *     from the dense head (smaller than {@code learningRate}: the start is already good, and 1/E of
 *     the data per expert overfits fast)
 * @param selectBy what makes one validation score better than another ({@link Selection})
 * @param spareUnits with {@link Start#UPCYCLED_FROM_LINEAR}: how the hidden units the logistic
 *     regression leaves free start ({@link SpareUnits})
 */
public record MoeTrainingConfig(
    int epochs,
    int batchSize,
    double learningRate,
    double weightDecay,
    double balanceRate,
    double routingNoise,
    int reservoirPerExpert,
    long seed,
    Start start,
    List<Double> anchorWeights,
    int patience,
    double specialisingRate,
    Selection selectBy,
    SpareUnits spareUnits) {

  /** How the experts' weights start. */
  public enum Start {
    /**
     * Sparse upcycling: a dense head (one expert that every document uses) is trained first with
     * early stopping, copied into every expert, and the gate and experts are then trained together
     * with each expert pulled toward that start; the head cannot end worse on validation than the
     * dense start. The dense head starts from seeded random weights.
     */
    UPCYCLED,
    /**
     * Sparse upcycling whose dense head starts as the logistic regression on the same samples,
     * written exactly into the expert ({@link DenseStart#fromLinear}; needs {@code M >= 2 (L - 1)},
     * else it starts as {@link #UPCYCLED} does): the head cannot end worse on validation than the
     * logistic regression. The default.
     */
    UPCYCLED_FROM_LINEAR,
    /** Seeded random weights, every expert trained only on what it is routed. */
    RANDOM
  }

  /** What picks the epoch of a stage and the anchor weight kept. */
  public enum Selection {
    /**
     * The lowest mean cross-entropy on validation: it moves with every document's probability, not
     * only with the few whose arg-max flips, so on a small validation set it is the steadier
     * choice, and one hard label's documents count as much as their losses say.
     */
    LOSS,
    /** The highest validation accuracy (the earlier training). */
    ACCURACY
  }

  /**
   * How an expert's hidden units beyond the 2 (L - 1) that hold the logistic regression start (the
   * regression start fills 30 of the default 32 with 16 labels; {@code --expert-hidden 64} leaves
   * 34).
   */
  public enum SpareUnits {
    /**
     * Seeded random first-layer rows (this config's default, and the earlier trainer's; {@code
     * expertflow train} starts them as {@link #PRINCIPAL}).
     */
    RANDOM,
    /**
     * Pairs {@code relu(+-(p . (x - mean)) / sd)} along the training embeddings' leading principal
     * directions p ({@link PrincipalDirections}): what varies most among the documents, whatever
     * their labels, so that a label learned later from feedback has more to read than the trained
     * labels' scores. Their output weights start at zero, so the start answers as the regression.
     */
    PRINCIPAL
  }

  public static final int DEFAULT_EPOCHS = 30;
  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final double DEFAULT_LEARNING_RATE = 2e-3;
  public static final double DEFAULT_WEIGHT_DECAY = 1e-4;
  public static final double DEFAULT_BALANCE_RATE = 1e-2;
  public static final double DEFAULT_ROUTING_NOISE = 0.0;
  public static final int DEFAULT_RESERVOIR_PER_EXPERT = 64;
  public static final long DEFAULT_SEED = 42L;
  public static final Start DEFAULT_START = Start.UPCYCLED_FROM_LINEAR;
  public static final List<Double> DEFAULT_ANCHOR_WEIGHTS = List.of(1.0, 1e-1);
  public static final int DEFAULT_PATIENCE = 6;
  public static final double DEFAULT_SPECIALISING_RATE = 5e-4;
  public static final Selection DEFAULT_SELECTION = Selection.LOSS;

  public MoeTrainingConfig {
    require(epochs > 0, "epochs must be > 0, was " + epochs);
    require(batchSize > 0, "batchSize must be > 0, was " + batchSize);
    require(
        learningRate > 0 && Double.isFinite(learningRate),
        "learningRate must be a positive finite number, was " + learningRate);
    require(
        weightDecay >= 0 && weightDecay < 1, "weightDecay must be in [0, 1), was " + weightDecay);
    require(
        balanceRate >= 0 && Double.isFinite(balanceRate),
        "balanceRate must be >= 0, was " + balanceRate);
    require(
        routingNoise >= 0 && Double.isFinite(routingNoise),
        "routingNoise must be >= 0, was " + routingNoise);
    require(reservoirPerExpert >= 0, "reservoirPerExpert must be >= 0, was " + reservoirPerExpert);
    Objects.requireNonNull(start, "start");
    anchorWeights = List.copyOf(anchorWeights);
    require(!anchorWeights.isEmpty(), "anchorWeights must name at least one weight");
    for (double a : anchorWeights) {
      require(a >= 0 && Double.isFinite(a), "anchorWeights must be >= 0, was " + anchorWeights);
    }
    require(patience > 0, "patience must be > 0, was " + patience);
    require(
        specialisingRate > 0 && Double.isFinite(specialisingRate),
        "specialisingRate must be a positive finite number, was " + specialisingRate);
    Objects.requireNonNull(selectBy, "selectBy");
    Objects.requireNonNull(spareUnits, "spareUnits");
  }

  /**
   * The defaults: sparse upcycling from the logistic regression, at most 30 epochs per stage of
   * batch 32, Adam 2e-3, anchor weights 1 and 0.1, epochs chosen by validation loss, balancing on
   * with u = 1e-2.
   */
  public static MoeTrainingConfig defaults() {
    return new MoeTrainingConfig(
        DEFAULT_EPOCHS,
        DEFAULT_BATCH_SIZE,
        DEFAULT_LEARNING_RATE,
        DEFAULT_WEIGHT_DECAY,
        DEFAULT_BALANCE_RATE,
        DEFAULT_ROUTING_NOISE,
        DEFAULT_RESERVOIR_PER_EXPERT,
        DEFAULT_SEED,
        DEFAULT_START,
        DEFAULT_ANCHOR_WEIGHTS,
        DEFAULT_PATIENCE,
        DEFAULT_SPECIALISING_RATE,
        DEFAULT_SELECTION,
        SpareUnits.RANDOM);
  }

  public MoeTrainingConfig withEpochs(int value) {
    return with(c -> c.epochs = value);
  }

  public MoeTrainingConfig withBalanceRate(double value) {
    return with(c -> c.balanceRate = value);
  }

  public MoeTrainingConfig withRoutingNoise(double value) {
    return with(c -> c.routingNoise = value);
  }

  public MoeTrainingConfig withSeed(long value) {
    return with(c -> c.seed = value);
  }

  public MoeTrainingConfig withStart(Start value) {
    return with(c -> c.start = value);
  }

  public MoeTrainingConfig withAnchorWeights(List<Double> value) {
    return with(c -> c.anchorWeights = value);
  }

  public MoeTrainingConfig withSelectBy(Selection value) {
    return with(c -> c.selectBy = value);
  }

  public MoeTrainingConfig withSpareUnits(SpareUnits value) {
    return with(c -> c.spareUnits = value);
  }

  public MoeTrainingConfig withSpecialisingRate(double value) {
    return with(c -> c.specialisingRate = value);
  }

  /** A copy with {@code change} applied to its components, validated as any config is. */
  private MoeTrainingConfig with(Consumer<Components> change) {
    Components c = new Components(this);
    change.accept(c);
    return c.build();
  }

  /** The components of a config, mutable, for the {@code with...} copies. */
  private static final class Components {
    int epochs;
    int batchSize;
    double learningRate;
    double weightDecay;
    double balanceRate;
    double routingNoise;
    int reservoirPerExpert;
    long seed;
    Start start;
    List<Double> anchorWeights;
    int patience;
    double specialisingRate;
    Selection selectBy;
    SpareUnits spareUnits;

    Components(MoeTrainingConfig c) {
      epochs = c.epochs;
      batchSize = c.batchSize;
      learningRate = c.learningRate;
      weightDecay = c.weightDecay;
      balanceRate = c.balanceRate;
      routingNoise = c.routingNoise;
      reservoirPerExpert = c.reservoirPerExpert;
      seed = c.seed;
      start = c.start;
      anchorWeights = c.anchorWeights;
      patience = c.patience;
      specialisingRate = c.specialisingRate;
      selectBy = c.selectBy;
      spareUnits = c.spareUnits;
    }

    MoeTrainingConfig build() {
      return new MoeTrainingConfig(
          epochs,
          batchSize,
          learningRate,
          weightDecay,
          balanceRate,
          routingNoise,
          reservoirPerExpert,
          seed,
          start,
          anchorWeights,
          patience,
          specialisingRate,
          selectBy,
          spareUnits);
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid MoE training config: " + message);
    }
  }
}
