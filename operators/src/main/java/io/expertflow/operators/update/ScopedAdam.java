package io.expertflow.operators.update;

import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;

/**
 * Adam on exactly the parameters of the chosen experts that their slots allow: gate rows when the
 * slot has a gate buffer, the output rows of its mask, the first layer when it has one. Nothing
 * else is written. Not thread-safe.
 */
final class ScopedAdam {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final MoeHeadConfig c;
  private final float[] gateW;
  private final float[] gateB;
  private final float[] w1;
  private final float[] b1;
  private final float[] w2;
  private final float[] b2;
  private final ExpertSlot[] bySlot;
  private final ExpertSlot[] moment1;
  private final ExpertSlot[] moment2;
  private int step;

  ScopedAdam(MoeHeadWeights weights, ExpertSlot[] slots) {
    this.c = weights.config();
    var t = weights.tensors();
    this.gateW = t.get("gate.weight").data();
    this.gateB = t.get("gate.bias").data();
    this.w1 = t.get("experts.w1").data();
    this.b1 = t.get("experts.b1").data();
    this.w2 = t.get("experts.w2").data();
    this.b2 = t.get("experts.b2").data();
    this.bySlot = slots;
    this.moment1 = new ExpertSlot[slots.length];
    this.moment2 = new ExpertSlot[slots.length];
    for (int i = 0; i < slots.length; i++) {
      moment1[i] = slots[i].emptyLike(c);
      moment2[i] = slots[i].emptyLike(c);
    }
  }

  /** One step with the gradients in {@code grad} (one per slot, same order). */
  void step(ExpertSlot[] grad, float lr) {
    step++;
    float c1 = (float) (1 - Math.pow(BETA1, step));
    float c2 = (float) (1 - Math.pow(BETA2, step));
    int h = c.hidden();
    int m = c.expertHidden();
    int l = c.labelCount();
    for (int s = 0; s < bySlot.length; s++) {
      ExpertSlot g = grad[s];
      ExpertSlot m1 = moment1[s];
      ExpertSlot m2 = moment2[s];
      int e = bySlot[s].expert;
      if (g.gate.length > 0) {
        adam(gateW, e * h, g.gate, m1.gate, m2.gate, 0, h, lr, c1, c2);
        adam(gateB, e, g.gate, m1.gate, m2.gate, h, 1, lr, c1, c2);
      }
      for (int r = 0; r < l; r++) {
        if (bySlot[s].rows[r]) {
          adam(w2, (e * l + r) * m, g.w2, m1.w2, m2.w2, r * m, m, lr, c1, c2);
          adam(b2, e * l + r, g.b2, m1.b2, m2.b2, r, 1, lr, c1, c2);
        }
      }
      if (g.w1.length > 0) {
        adam(w1, e * m * h, g.w1, m1.w1, m2.w1, 0, m * h, lr, c1, c2);
        adam(b1, e * m, g.b1, m1.b1, m2.b1, 0, m, lr, c1, c2);
      }
    }
  }

  private static void adam(
      float[] param,
      int at,
      float[] grad,
      float[] m1,
      float[] m2,
      int from,
      int length,
      float lr,
      float c1,
      float c2) {
    for (int i = 0; i < length; i++) {
      float gi = grad[from + i];
      m1[from + i] = BETA1 * m1[from + i] + (1 - BETA1) * gi;
      m2[from + i] = BETA2 * m2[from + i] + (1 - BETA2) * gi * gi;
      float update = lr * (m1[from + i] / c1) / ((float) Math.sqrt(m2[from + i] / c2) + EPSILON);
      param[at + i] -= update;
    }
  }
}
