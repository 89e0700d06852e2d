package io.expertflow.operators.update;

import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.util.List;
import java.util.Random;

/**
 * Minibatch Adam on the cross-entropy of the head, where only the chosen experts' scoped parameters
 * move: their gate rows and gate biases when the scope includes them, the output rows their masks
 * allow, and their first layer when the scope includes it. Gradients flow through the real forward
 * pass (top-k selection on the route-biased logits, softmax gates, domain expert), so the loss is
 * the served model's loss. Parameters outside the scope are never written. Single-threaded and
 * deterministic for a seed.
 */
final class ScopedFineTuning {
  private final MoeHeadConfig c;
  private final MoeHeadReference head;
  private final float[] w2;
  private final float[] b2;
  private final float[] domainScale;
  private final float[] domainBias;
  private final ExpertSlot[] bySlot;
  private final int[] slotOf;
  private final ExpertSlot[] grad;
  private final ScopedAdam adam;

  /**
   * @param weights the weights to train in place
   * @param slots one per chosen expert: which expert and which output rows may change
   */
  ScopedFineTuning(MoeHeadWeights weights, List<ExpertSlot> slots) {
    this.c = weights.config();
    this.head = new MoeHeadReference(weights);
    var t = weights.tensors();
    this.w2 = t.get("experts.w2").data();
    this.b2 = t.get("experts.b2").data();
    this.domainScale = t.get("domains.scale").data();
    this.domainBias = t.get("domains.bias").data();
    this.bySlot = slots.toArray(ExpertSlot[]::new);
    this.slotOf = new int[c.experts()];
    java.util.Arrays.fill(slotOf, -1);
    this.grad = new ExpertSlot[bySlot.length];
    for (int i = 0; i < bySlot.length; i++) {
      slotOf[bySlot[i].expert] = i;
      grad[i] = bySlot[i].emptyLike(c);
    }
    this.adam = new ScopedAdam(weights, bySlot);
  }

  /**
   * Trains for {@code epochs} passes.
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
    int epochs = config.epochs();
    int batchSize = config.batchSize();
    double learningRate = config.learningRate();
    long seed = config.seed();
    Random random = new Random(seed);
    int[] order = new int[samples.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, random);
      for (int start = 0; start < order.length; start += batchSize) {
        int end = Math.min(order.length, start + batchSize);
        for (ExpertSlot g : grad) {
          g.clear();
        }
        for (int i = start; i < end; i++) {
          LabeledEmbedding s = samples.get(order[i]);
          accumulate(s.embedding(), s.label(), weights[order[i]] / (end - start));
        }
        anchors.accumulate(
            bySlot,
            grad,
            config.routingAnchorsPerStep(),
            (float) config.routingWeight(),
            (float) config.routingPullWeight(),
            (float) config.routingMargin(),
            random);
        adam.step(grad, (float) learningRate);
      }
    }
  }

  /** Adds the weighted gradient of {@code -log p(label | x)} for the trainable parameters. */
  private void accumulate(float[] x, int label, float weight) {
    int l = c.labelCount();
    int m = c.expertHidden();
    int h = c.hidden();
    float[] g = head.gateLogits(x);
    int[] chosen = head.select(g);
    boolean trainable = false;
    for (int e : chosen) {
      trainable |= slotOf[e] >= 0;
    }
    if (!trainable) {
      return; // no chosen expert of the update routes x: nothing it could change moves the loss
    }
    int k = chosen.length;
    float[] gates = head.gateWeights(g, chosen);
    float[][] hidden = new float[k][];
    float[][] y = new float[k][];
    float[] mix = new float[l];
    for (int j = 0; j < k; j++) {
      hidden[j] = head.hidden(chosen[j], x);
      y[j] = outputs(chosen[j], hidden[j]);
      for (int i = 0; i < l; i++) {
        mix[i] += gates[j] * y[j][i];
      }
    }
    int d = head.domain(chosen, gates);
    float[] z = new float[l];
    for (int i = 0; i < l; i++) {
      z[i] = domainScale[d * l + i] * mix[i] + domainBias[d * l + i];
    }
    float[] dm = softmax(z);
    dm[label] -= 1f;
    for (int i = 0; i < l; i++) {
      dm[i] *= weight * domainScale[d * l + i];
    }
    float[] dGate = new float[k];
    float weighted = 0f;
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < l; i++) {
        dGate[j] += dm[i] * y[j][i];
      }
      weighted += gates[j] * dGate[j];
    }
    for (int j = 0; j < k; j++) {
      int slot = slotOf[chosen[j]];
      if (slot < 0) {
        continue;
      }
      ExpertSlot gr = grad[slot];
      if (gr.gate.length > 0) {
        float dg = gates[j] * (dGate[j] - weighted);
        for (int i = 0; i < h; i++) {
          gr.gate[i] += dg * x[i];
        }
        gr.gate[h] += dg;
      }
      float[] dHidden = gr.w1.length > 0 ? new float[m] : null;
      int e = chosen[j];
      for (int r = 0; r < l; r++) {
        float dy = gates[j] * dm[r];
        gr.b2[r] += dy;
        for (int i = 0; i < m; i++) {
          gr.w2[r * m + i] += dy * hidden[j][i];
          if (dHidden != null) {
            dHidden[i] += dy * w2[(e * l + r) * m + i];
          }
        }
      }
      if (dHidden != null) {
        for (int r = 0; r < m; r++) {
          if (hidden[j][r] > 0f) {
            gr.b1[r] += dHidden[r];
            for (int i = 0; i < h; i++) {
              gr.w1[r * h + i] += dHidden[r] * x[i];
            }
          }
        }
      }
    }
  }

  private float[] outputs(int e, float[] hidden) {
    int l = c.labelCount();
    int m = c.expertHidden();
    float[] y = new float[l];
    for (int r = 0; r < l; r++) {
      float s = b2[e * l + r];
      int row = (e * l + r) * m;
      for (int i = 0; i < m; i++) {
        s += w2[row + i] * hidden[i];
      }
      y[r] = s;
    }
    return y;
  }

  private static float[] softmax(float[] z) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : z) {
      max = Math.max(max, v);
    }
    float[] p = new float[z.length];
    float sum = 0f;
    for (int i = 0; i < z.length; i++) {
      p[i] = (float) Math.exp(z[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < z.length; i++) {
      p[i] /= sum;
    }
    return p;
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
