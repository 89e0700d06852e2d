package io.expertflow.operators.moe;

/**
 * Adam with decoupled weight decay (on the weight matrices, not on biases) over the parameters a
 * {@link MoeParameterMask} allows; bias correction uses the global step count. Two stepping rules:
 *
 * <ul>
 *   <li>{@link #lazy}: full training steps only the experts and domains the batch touched (the
 *       others had a zero gradient and keep their moments), so a step costs what the batch routed;
 *   <li>{@link #masked}: an expert update steps every allowed parameter on every step, so the
 *       moments of an expert the batch missed still decay and carry it on.
 * </ul>
 *
 * Not thread-safe.
 */
public final class MoeAdam {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final MoeHeadWeights w;
  private final MoeParameterMask mask;
  private final boolean lazy;
  private final MoeGradients moment1;
  private final MoeGradients moment2;
  private final float learningRate;
  private final float weightDecay;
  private int step;

  private MoeAdam(
      MoeHeadWeights weights,
      MoeParameterMask mask,
      boolean lazy,
      double learningRate,
      double weightDecay) {
    this.w = weights;
    this.mask = mask;
    this.lazy = lazy;
    this.moment1 = new MoeGradients(weights.config());
    this.moment2 = new MoeGradients(weights.config());
    this.learningRate = (float) learningRate;
    this.weightDecay = (float) weightDecay;
  }

  /** Steps every parameter of the experts and domains a batch touched. */
  public static MoeAdam lazy(MoeHeadWeights weights, double learningRate, double weightDecay) {
    return new MoeAdam(
        weights, MoeParameterMask.all(weights.config()), true, learningRate, weightDecay);
  }

  /** Steps every parameter {@code mask} allows, touched or not, and nothing else. */
  public static MoeAdam masked(
      MoeHeadWeights weights, MoeParameterMask mask, double learningRate, double weightDecay) {
    return new MoeAdam(weights, mask, false, learningRate, weightDecay);
  }

  /** One step with the gradients in {@code grad}. */
  public void step(MoeGradients grad) {
    step++;
    float c1 = (float) (1 - Math.pow(BETA1, step));
    float c2 = (float) (1 - Math.pow(BETA2, step));
    MoeHeadConfig c = w.config();
    int h = c.hidden();
    int m = c.expertHidden();
    int l = c.labelCount();
    for (int e = 0; e < c.experts(); e++) {
      if (!mask.expert(e) || (lazy && !grad.touchedExperts[e])) {
        continue;
      }
      if (mask.gateRow(e)) {
        update(w.gateW, grad.gateW, moment1.gateW, moment2.gateW, e * h, h, c1, c2, true);
        update(w.gateB, grad.gateB, moment1.gateB, moment2.gateB, e, 1, c1, c2, false);
      }
      if (mask.firstLayer(e)) {
        update(w.w1, grad.w1, moment1.w1, moment2.w1, e * m * h, m * h, c1, c2, true);
        update(w.b1, grad.b1, moment1.b1, moment2.b1, e * m, m, c1, c2, false);
      }
      for (int r = 0; r < l; r++) {
        if (mask.outputRow(e, r)) {
          update(w.w2, grad.w2, moment1.w2, moment2.w2, (e * l + r) * m, m, c1, c2, true);
          update(w.b2, grad.b2, moment1.b2, moment2.b2, e * l + r, 1, c1, c2, false);
        }
      }
    }
    for (int d = 0; d < c.domains(); d++) {
      if (!mask.domain(d) || (lazy && !grad.touchedDomains[d])) {
        continue;
      }
      update(
          w.domainScale,
          grad.domainScale,
          moment1.domainScale,
          moment2.domainScale,
          d * l,
          l,
          c1,
          c2,
          false);
      update(
          w.domainBias,
          grad.domainBias,
          moment1.domainBias,
          moment2.domainBias,
          d * l,
          l,
          c1,
          c2,
          false);
    }
  }

  private void update(
      float[] param,
      float[] grad,
      float[] m1,
      float[] m2,
      int from,
      int length,
      float c1,
      float c2,
      boolean decay) {
    float decayFactor = decay ? 1f - learningRate * weightDecay : 1f;
    for (int i = from; i < from + length; i++) {
      float g = grad[i];
      m1[i] = BETA1 * m1[i] + (1 - BETA1) * g;
      m2[i] = BETA2 * m2[i] + (1 - BETA2) * g * g;
      float mHat = m1[i] / c1;
      float vHat = m2[i] / c2;
      param[i] = param[i] * decayFactor - learningRate * mHat / ((float) Math.sqrt(vHat) + EPSILON);
    }
  }
}
