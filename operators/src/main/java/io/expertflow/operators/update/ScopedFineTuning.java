package io.expertflow.operators.update;

import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeAdam;
import io.expertflow.operators.moe.MoeBackprop;
import io.expertflow.operators.moe.MoeGradients;
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

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
