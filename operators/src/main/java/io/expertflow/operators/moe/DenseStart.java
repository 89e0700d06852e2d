package io.expertflow.operators.moe;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The dense head that sparse upcycling starts from: one expert of the head's shape ({@code W2
 * relu(W1 x + b1) + b2}) that every document uses, trained with early stopping on validation score
 * ({@link ValidationScore}). It is trained through the same maths core as the MoE head (a head of
 * one expert with k = 1 and one neutral domain, so the gate and domain carry no gradient), which is
 * what every expert of the MoE head computes when all experts share one set of weights. {@link
 * #upcycled} copies it into every expert; {@link #pull} adds the L2 pull of each expert back toward
 * it.
 *
 * <p>Immutable after {@link #train}; {@link #pull} only reads it.
 */
public final class DenseStart {
  private final MoeHeadWeights dense;
  private final int bestEpoch;
  private final ValidationScore validation;
  private final List<EpochReport> history;
  private final Optional<LinearProbe> linearStart;

  private DenseStart(
      MoeHeadWeights dense,
      int bestEpoch,
      ValidationScore validation,
      List<EpochReport> history,
      Optional<LinearProbe> linearStart) {
    this.dense = dense;
    this.linearStart = linearStart;
    this.bestEpoch = bestEpoch;
    this.validation = validation;
    this.history = List.copyOf(history);
  }

  /** The shape of the dense head for a head of shape {@code head}: one expert, k = 1, D = 1. */
  public static MoeHeadConfig denseShape(MoeHeadConfig head) {
    return new MoeHeadConfig(head.hidden(), 1, 1, head.expertHidden(), 1, head.labels());
  }

  /**
   * Trains the dense head with Adam ({@code config}'s rate, batch and decay) for at most {@code
   * config.epochs()} epochs, stopping after {@code config.patience()} epochs without a better
   * validation score ({@link MoeTrainingConfig#selectBy()}), and keeps the best epoch (the last
   * without validation samples).
   *
   * <p>With {@link MoeTrainingConfig.Start#UPCYCLED_FROM_LINEAR}, where the expert is wide enough
   * ({@link #startsLinear}), it starts as a logistic regression ({@link LinearProbe}) trained on
   * the same samples, written exactly into the expert's shape ({@link #fromLinear}), and that start
   * counts as epoch 0: the dense head kept is never worse on validation than the logistic
   * regression. Otherwise it starts from seeded random weights.
   */
  public static DenseStart train(
      MoeHeadConfig head,
      List<LabeledEmbedding> train,
      List<LabeledEmbedding> validation,
      MoeTrainingConfig config,
      Consumer<EpochReport> onEpoch) {
    MoeHeadConfig shape = denseShape(head);
    boolean linear =
        config.start() == MoeTrainingConfig.Start.UPCYCLED_FROM_LINEAR
            && startsLinear(head)
            && !train.isEmpty();
    Optional<LinearProbe> probe =
        linear
            ? Optional.of(
                LinearProbe.train(
                    train, validation, head.labelCount(), head.hidden(), config.seed()))
            : Optional.empty();
    MoeHeadWeights weights =
        probe.isPresent()
            ? withSpareUnits(
                fromLinear(shape, probe.get(), config.seed()),
                train,
                config.spareUnits(),
                config.seed())
            : MoeHeadWeights.random(shape, config.seed());
    // Only the expert itself learns: the gate of one expert and the neutral domain stay fixed.
    MoeParameterMask mask = MoeParameterMask.builder(shape).firstLayer(0).allOutputRows(0).build();
    MoeBackprop backprop = new MoeBackprop(weights, mask);
    MoeAdam adam = MoeAdam.masked(weights, mask, config.learningRate(), config.weightDecay());
    MoeGradients grad = new MoeGradients(shape);
    Random random = new Random(config.seed() ^ 0xD15EL);
    int[] order = MoeHeadTrainer.identity(train.size());
    int[] only = {0};
    int[] predicted = new int[1];
    List<EpochReport> history = new ArrayList<>();
    MoeHeadWeights best = weights.copy();
    int bestEpoch = 0;
    ValidationScore bestValidation =
        linear ? ValidationScore.of(weights, validation) : ValidationScore.NONE;
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      MoeHeadTrainer.shuffle(order, random);
      double lossSum = 0;
      int correct = 0;
      for (int start = 0; start < order.length; start += config.batchSize()) {
        int end = Math.min(order.length, start + config.batchSize());
        for (int i = start; i < end; i++) {
          LabeledEmbedding s = train.get(order[i]);
          lossSum += backprop.accumulate(s.embedding(), s.label(), only, grad, predicted);
          correct += predicted[0] == s.label() ? 1 : 0;
        }
        grad.scale(1f / (end - start));
        adam.step(grad);
        grad.clear();
      }
      ValidationScore val = ValidationScore.of(weights, validation);
      EpochReport report =
          new EpochReport(
              epoch,
              lossSum / order.length,
              (double) correct / order.length,
              val.accuracy(),
              val.loss(),
              0,
              1.0);
      history.add(report);
      onEpoch.accept(report);
      if (validation.isEmpty() || val.betterThan(bestValidation, config.selectBy())) {
        bestValidation = val;
        best = weights.copy();
        bestEpoch = epoch;
      } else if (epoch - bestEpoch >= config.patience()) {
        break;
      }
    }
    return new DenseStart(best, bestEpoch, bestValidation, history, probe);
  }

  /**
   * Whether an expert of {@code head} can compute a logistic regression over its labels exactly:
   * softmax ignores a shift common to all logits, so L labels need L - 1 linear directions, and
   * each takes two ReLU units ({@code z = relu(z) - relu(-z)}): {@code M >= 2 (L - 1)} (the default
   * M = 32 holds 17 labels).
   */
  public static boolean startsLinear(MoeHeadConfig head) {
    return head.labelCount() >= 2 && head.expertHidden() >= 2 * (head.labelCount() - 1);
  }

  /**
   * A dense head of shape {@code shape} (one expert) that predicts exactly what {@code probe}
   * predicts: with the probe's weights W centred (the mean row subtracted, which no softmax sees),
   * the rows sum to zero, so W = B A with A its first L - 1 rows and B = [I; -1...]; hidden units u
   * and L - 1 + u compute relu(A_u x) and relu(-A_u x), the second layer B times their difference,
   * plus the probe's biases. Units beyond 2 (L - 1) keep seeded random first-layer rows and start
   * with no weight in the second layer.
   *
   * @throws IllegalArgumentException if the expert is too narrow ({@link #startsLinear})
   */
  public static MoeHeadWeights fromLinear(MoeHeadConfig shape, LinearProbe probe, long seed) {
    if (shape.experts() != 1 || !startsLinear(shape)) {
      throw new IllegalArgumentException(
          "a logistic regression over "
              + shape.labelCount()
              + " labels needs one expert of at least "
              + 2 * (shape.labelCount() - 1)
              + " hidden units, got "
              + shape);
    }
    int l = shape.labelCount();
    int h = shape.hidden();
    int m = shape.expertHidden();
    int r = l - 1;
    float[] w = probe.weights();
    float[] mean = new float[h];
    for (int lab = 0; lab < l; lab++) {
      for (int i = 0; i < h; i++) {
        mean[i] += w[lab * h + i] / l;
      }
    }
    MoeHeadWeights out = MoeHeadWeights.random(shape, seed);
    for (int u = 0; u < r; u++) {
      for (int i = 0; i < h; i++) {
        float a = w[u * h + i] - mean[i];
        out.w1[u * h + i] = a;
        out.w1[(r + u) * h + i] = -a;
      }
      out.b1[u] = 0;
      out.b1[r + u] = 0;
    }
    java.util.Arrays.fill(out.w2, 0f);
    for (int lab = 0; lab < l; lab++) {
      for (int u = 0; u < r; u++) {
        float b = lab == u ? 1f : lab == l - 1 ? -1f : 0f;
        out.w2[lab * m + u] = b;
        out.w2[lab * m + r + u] = -b;
      }
    }
    System.arraycopy(probe.bias(), 0, out.b2, 0, l);
    return out;
  }

  /**
   * {@code start} (from {@link #fromLinear}), its units beyond 2 (L - 1) set as {@code spare} says
   * ({@link MoeTrainingConfig.SpareUnits}; {@link PrincipalDirections#writeUnitPairs}), in place.
   */
  static MoeHeadWeights withSpareUnits(
      MoeHeadWeights start,
      List<LabeledEmbedding> train,
      MoeTrainingConfig.SpareUnits spare,
      long seed) {
    int used = 2 * (start.config().labelCount() - 1);
    int pairs = (start.config().expertHidden() - used) / 2;
    if (spare == MoeTrainingConfig.SpareUnits.PRINCIPAL && pairs > 0) {
      PrincipalDirections.of(train, start.config().hidden(), pairs, seed)
          .writeUnitPairs(start, used);
    }
    return start;
  }

  /** The dense head itself (a copy), a head of shape {@link #denseShape}. */
  public MoeHeadWeights dense() {
    return dense.copy();
  }

  /** The dense epoch kept (1-based; 0: the start itself, the logistic regression). */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** The dense head's validation accuracy (NaN without validation samples). */
  public double validationAccuracy() {
    return validation.accuracy();
  }

  /** The kept dense head's validation score ({@link ValidationScore#NONE} without samples). */
  public ValidationScore validation() {
    return validation;
  }

  /** The logistic regression the dense head started as, if it did. */
  public Optional<LinearProbe> linearStart() {
    return linearStart;
  }

  /** One report per dense epoch run. */
  public List<EpochReport> history() {
    return history;
  }

  /**
   * A head of shape {@code head} whose every expert is the dense head (every label's output row
   * included), with a seeded random gate, zero routing biases and neutral domains. Whatever the
   * gate chooses, the gate weights sum to one over identical experts, so it predicts what the dense
   * head predicts.
   */
  public MoeHeadWeights upcycled(MoeHeadConfig head, long seed) {
    if (!denseShape(head).equals(dense.config())) {
      throw new IllegalArgumentException(
          "dense start of shape " + dense.config() + " does not fit head " + head);
    }
    MoeHeadWeights w = MoeHeadWeights.random(head, seed);
    java.util.Arrays.fill(w.domainScale, 1f);
    java.util.Arrays.fill(w.domainBias, 0f);
    java.util.Arrays.fill(w.routeBias, 0f);
    for (int e = 0; e < head.experts(); e++) {
      copyInto(dense.w1, w.w1, e);
      copyInto(dense.b1, w.b1, e);
      copyInto(dense.w2, w.w2, e);
      copyInto(dense.b2, w.b2, e);
    }
    return w;
  }

  /**
   * Adds {@code lambda * (theta - theta0)} to the gradient of every expert parameter of the experts
   * {@code grad} marks touched: the gradient of {@code lambda / 2 * ||theta - theta0||^2}, the pull
   * of each expert toward the dense start that keeps 1/E of the data from undoing it.
   */
  public void pull(MoeHeadWeights w, MoeGradients grad, float lambda) {
    if (lambda == 0f) {
      return;
    }
    for (int e = 0; e < grad.touchedExperts.length; e++) {
      if (grad.touchedExperts[e]) {
        pull(w.w1, dense.w1, grad.w1, e, lambda);
        pull(w.b1, dense.b1, grad.b1, e, lambda);
        pull(w.w2, dense.w2, grad.w2, e, lambda);
        pull(w.b2, dense.b2, grad.b2, e, lambda);
      }
    }
  }

  private static void copyInto(float[] one, float[] all, int expert) {
    System.arraycopy(one, 0, all, expert * one.length, one.length);
  }

  private static void pull(float[] param, float[] start, float[] grad, int e, float lambda) {
    int n = start.length;
    for (int i = 0; i < n; i++) {
      grad[e * n + i] += lambda * (param[e * n + i] - start[i]);
    }
  }
}
