package io.expertflow.operators.moe;

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
 */
public record MoeTrainingConfig(
    int epochs,
    int batchSize,
    double learningRate,
    double weightDecay,
    double balanceRate,
    double routingNoise,
    int reservoirPerExpert,
    long seed) {

  public static final int DEFAULT_EPOCHS = 30;
  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final double DEFAULT_LEARNING_RATE = 2e-3;
  public static final double DEFAULT_WEIGHT_DECAY = 1e-4;
  public static final double DEFAULT_BALANCE_RATE = 1e-2;
  public static final double DEFAULT_ROUTING_NOISE = 0.0;
  public static final int DEFAULT_RESERVOIR_PER_EXPERT = 64;
  public static final long DEFAULT_SEED = 42L;

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
  }

  /** The defaults: 30 epochs of batch 32, Adam 2e-3, balancing on with u = 1e-2. */
  public static MoeTrainingConfig defaults() {
    return new MoeTrainingConfig(
        DEFAULT_EPOCHS,
        DEFAULT_BATCH_SIZE,
        DEFAULT_LEARNING_RATE,
        DEFAULT_WEIGHT_DECAY,
        DEFAULT_BALANCE_RATE,
        DEFAULT_ROUTING_NOISE,
        DEFAULT_RESERVOIR_PER_EXPERT,
        DEFAULT_SEED);
  }

  public MoeTrainingConfig withEpochs(int value) {
    return new MoeTrainingConfig(
        value,
        batchSize,
        learningRate,
        weightDecay,
        balanceRate,
        routingNoise,
        reservoirPerExpert,
        seed);
  }

  public MoeTrainingConfig withBalanceRate(double value) {
    return new MoeTrainingConfig(
        epochs,
        batchSize,
        learningRate,
        weightDecay,
        value,
        routingNoise,
        reservoirPerExpert,
        seed);
  }

  public MoeTrainingConfig withRoutingNoise(double value) {
    return new MoeTrainingConfig(
        epochs, batchSize, learningRate, weightDecay, balanceRate, value, reservoirPerExpert, seed);
  }

  public MoeTrainingConfig withSeed(long value) {
    return new MoeTrainingConfig(
        epochs,
        batchSize,
        learningRate,
        weightDecay,
        balanceRate,
        routingNoise,
        reservoirPerExpert,
        value);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid MoE training config: " + message);
    }
  }
}
