package io.expertflow.operators.update;

import io.expertflow.operators.moe.MoeHeadConfig;

/**
 * Gradient or moment buffers of one chosen expert's trainable parameters, with the mask of output
 * rows its update may change. An empty {@code gate} (or {@code w1}) means that part is not trained.
 * Not thread-safe.
 */
final class ExpertSlot {
  final int expert;
  final boolean[] rows;
  final float[] gate;
  final float[] w2;
  final float[] b2;
  final float[] w1;
  final float[] b1;

  ExpertSlot(int expert, boolean[] rows, MoeHeadConfig c, boolean hiddenLayer, boolean gateRow) {
    this.expert = expert;
    this.rows = rows;
    int h = c.hidden();
    int m = c.expertHidden();
    int l = c.labelCount();
    this.gate = gateRow ? new float[h + 1] : new float[0];
    this.w2 = new float[l * m];
    this.b2 = new float[l];
    this.w1 = hiddenLayer ? new float[m * h] : new float[0];
    this.b1 = hiddenLayer ? new float[m] : new float[0];
  }

  /** A buffer of the same shape and mask, zeroed. */
  ExpertSlot emptyLike(MoeHeadConfig c) {
    return new ExpertSlot(expert, rows, c, w1.length > 0, gate.length > 0);
  }

  void clear() {
    java.util.Arrays.fill(gate, 0f);
    java.util.Arrays.fill(w2, 0f);
    java.util.Arrays.fill(b2, 0f);
    java.util.Arrays.fill(w1, 0f);
    java.util.Arrays.fill(b1, 0f);
  }
}
