package io.expertflow.operators.update;

import io.expertflow.operators.moe.DpSgd;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeAdam;
import io.expertflow.operators.moe.MoeBackprop;
import io.expertflow.operators.moe.MoeGradients;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeParameterMask;
import java.util.List;
import java.util.Random;

/**
 * Minibatch Adam on the cross-entropy of the head where only masked parameters move: the update's
 * scope as a {@link MoeParameterMask} (the chosen experts' gate rows when the scope includes them,
 * the output rows their labels allow, their first layer when the scope includes it). It runs the
 * same backward pass and optimizer as full training ({@link MoeBackprop}, {@link MoeAdam}), through
 * the real forward pass (top-k selection on the route-biased logits, softmax gates, domain expert),
 * so the loss is the served model's loss. Parameters outside the mask are never written.
 * Single-threaded and deterministic for a seed.
 */
final class ScopedFineTuning {
  private final MoeHeadReference head;
  private final MoeHeadConfig headConfig;
  private final MoeParameterMask mask;
  private final MoeBackprop backprop;
  private final MoeGradients grad;
  private final MoeAdam adam;

  /**
   * @param weights the weights to train in place
   * @param mask the parameters that may change
   */
  ScopedFineTuning(MoeHeadWeights weights, MoeParameterMask mask, double learningRate) {
    this.head = new MoeHeadReference(weights);
    this.headConfig = weights.config();
    this.mask = mask;
    this.backprop = new MoeBackprop(weights, mask);
    this.grad = new MoeGradients(weights.config());
    // no weight decay: an update must not shrink what the window's feedback says nothing about
    this.adam = MoeAdam.masked(weights, mask, learningRate, 0);
  }

  /**
   * Trains for {@code config.epochs()} passes.
   *
   * @param samples training samples
   * @param weights loss weight of each sample, same order
   * @param anchors documents whose routing the gate rows must not steal
   */
  void train(
      List<LabeledEmbedding> samples,
      float[] weights,
      RoutingAnchors anchors,
      UpdateConfig config) {
    int batchSize = config.batchSize();
    Random random = new Random(config.seed());
    int[] order = new int[samples.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      shuffle(order, random);
      for (int start = 0; start < order.length; start += batchSize) {
        int end = Math.min(order.length, start + batchSize);
        grad.clear();
        for (int i = start; i < end; i++) {
          LabeledEmbedding s = samples.get(order[i]);
          float[] x = s.embedding();
          int[] chosen = head.select(head.gateLogits(x));
          if (!mask.anyExpert(chosen)) {
            continue; // no expert of the update routes x: nothing it could change moves the loss
          }
          backprop.accumulate(x, s.label(), chosen, weights[order[i]] / (end - start), grad, null);
        }
        anchors.accumulate(
            mask,
            grad,
            config.routingAnchorsPerStep(),
            (float) config.routingWeight(),
            (float) config.routingPullWeight(),
            (float) config.routingMargin(),
            random);
        adam.step(grad);
      }
    }
  }

  /**
   * Trains with DP-SGD for {@code config.epochs()} passes of {@link DpSgd#stepsPerEpoch()} steps.
   * Every unit takes part in a step with probability q: a feedback user's samples together (with
   * their routing pull, which is feedback too), or one replayed sample. Each drawn unit's gradient
   * over the masked parameters is clipped to C and multiplied by its loss weight; Gaussian noise is
   * added to every masked parameter; the sum is divided by the expected batch, q times the units.
   * The anchor term of the routing loss reads only the model's own training samples, so it is added
   * after the noise, unclipped, as without DP.
   *
   * @param samples training samples
   * @param weights loss weight of each sample, same order
   * @param units indices into {@code samples}: the first {@code users} are feedback users (their
   *     samples are also {@code anchors}' attractors, same index), the rest one replayed sample
   *     each
   * @param users how many of {@code units} are feedback users
   * @return the noisy steps taken
   */
  long trainPrivately(
      List<LabeledEmbedding> samples,
      float[] weights,
      List<int[]> units,
      int users,
      RoutingAnchors anchors,
      UpdateConfig config,
      DpSgd dp) {
    Random random = new Random(config.seed()); // anchors only: public samples
    MoeGradients unit = new MoeGradients(headConfig);
    double maxWeight = 0;
    for (int u = 0; u < users; u++) {
      maxWeight = Math.max(maxWeight, weights[units.get(u)[0]]);
    }
    float expected = (float) (dp.sampleRate() * units.size());
    long steps = 0;
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      for (int step = 0; step < dp.stepsPerEpoch(); step++) {
        grad.clear();
        for (int u = 0; u < units.size(); u++) {
          if (!dp.draw()) {
            continue;
          }
          unit.clear();
          float weight = weights[units.get(u)[0]];
          for (int i : units.get(u)) {
            LabeledEmbedding s = samples.get(i);
            int[] chosen = head.select(head.gateLogits(s.embedding()));
            if (mask.anyExpert(chosen)) {
              backprop.accumulate(s.embedding(), s.label(), chosen, 1f, unit, null);
            }
            if (u < users && i < anchors.attractors()) {
              // without DP every attractor pulls in every step with pullWeight / attractors; drawn
              // with probability q and divided by q * units, this scale gives the same in
              // expectation
              float pull =
                  (float)
                      (config.routingPullWeight() * units.size() / (anchors.attractors() * weight));
              anchors.accumulateAttractor(i, mask, unit, pull, (float) config.routingMargin());
            }
          }
          grad.addScaled(unit, weight * dp.clipFactor(Math.sqrt(unit.maskedNormSquared(mask))));
        }
        grad.addGaussianNoise(mask, dp.noiseStd(maxWeight), dp.random());
        grad.scale(1f / expected);
        anchors.accumulateAnchors(
            mask,
            grad,
            config.routingAnchorsPerStep(),
            (float) config.routingWeight(),
            (float) config.routingMargin(),
            random);
        adam.step(grad);
        steps++;
      }
    }
    return steps;
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
