package io.expertflow.operators.moe;

/**
 * Cross-entropy loss of one sample and its gradient with respect to every parameter it used: the
 * gate rows of the chosen experts (through the softmax over their logits), the chosen experts, and
 * the domain expert that combined them. Selection itself (top-k, routing bias, domain argmax) is
 * piecewise constant and carries no gradient. Not thread-safe: one instance per training thread.
 */
final class MoeBackprop {
  private final MoeHeadWeights w;
  private final MoeHeadConfig c;
  private final MoeHeadReference head;

  MoeBackprop(MoeHeadWeights weights) {
    this.w = weights;
    this.c = weights.config();
    this.head = new MoeHeadReference(weights);
  }

  /**
   * Adds the gradient of {@code -log p(label | x)} to {@code grad}, routing {@code x} to {@code
   * chosen}, and returns the loss; {@code predicted[0]} receives the arg-max label.
   */
  float accumulate(float[] x, int label, int[] chosen, MoeGradients grad, int[] predicted) {
    int l = c.labelCount();
    int m = c.expertHidden();
    int h = c.hidden();
    int k = chosen.length;
    float[] g = head.gateLogits(x);
    float[] gates = head.gateWeights(g, chosen);
    float[][] hidden = new float[k][];
    float[][] y = new float[k][];
    float[] mix = new float[l];
    for (int j = 0; j < k; j++) {
      hidden[j] = head.hidden(chosen[j], x);
      y[j] = head.expertLogits(chosen[j], x, hidden[j]);
      for (int i = 0; i < l; i++) {
        mix[i] += gates[j] * y[j][i];
      }
    }
    int d = head.domain(chosen, gates);
    float[] logits = new float[l];
    for (int i = 0; i < l; i++) {
      logits[i] = w.domainScale[d * l + i] * mix[i] + w.domainBias[d * l + i];
    }
    float[] p = MoeHeadReference.softmax(logits);
    predicted[0] = argmax(p);
    float loss = (float) -Math.log(Math.max(p[label], 1e-12f));

    // d loss / d logits = p - onehot(label)
    float[] dz = p;
    dz[label] -= 1f;
    grad.touchedDomains[d] = true;
    float[] dm = new float[l];
    for (int i = 0; i < l; i++) {
      grad.domainScale[d * l + i] += dz[i] * mix[i];
      grad.domainBias[d * l + i] += dz[i];
      dm[i] = dz[i] * w.domainScale[d * l + i];
    }
    // mixture: dy_j = gate_j * dm, dgate_j = dm . y_j
    float[] dGate = new float[k];
    float weighted = 0f;
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < l; i++) {
        dGate[j] += dm[i] * y[j][i];
      }
      weighted += gates[j] * dGate[j];
    }
    for (int j = 0; j < k; j++) {
      int e = chosen[j];
      grad.touchedExperts[e] = true;
      // softmax over the chosen logits: dg_j = gate_j * (dGate_j - sum_i gate_i dGate_i)
      float dg = gates[j] * (dGate[j] - weighted);
      grad.gateB[e] += dg;
      int gateRow = e * h;
      for (int i = 0; i < h; i++) {
        grad.gateW[gateRow + i] += dg * x[i];
      }
      expertBackward(e, x, hidden[j], dm, gates[j], grad);
    }
    return loss;
  }

  private void expertBackward(
      int e, float[] x, float[] hidden, float[] dm, float gate, MoeGradients grad) {
    int l = c.labelCount();
    int m = c.expertHidden();
    int h = c.hidden();
    float[] dHidden = new float[m];
    for (int r = 0; r < l; r++) {
      float dy = gate * dm[r];
      grad.b2[e * l + r] += dy;
      int row = (e * l + r) * m;
      for (int i = 0; i < m; i++) {
        grad.w2[row + i] += dy * hidden[i];
        dHidden[i] += dy * w.w2[row + i];
      }
    }
    for (int r = 0; r < m; r++) {
      if (hidden[r] <= 0f) {
        continue; // ReLU was inactive: no gradient flows to its pre-activation
      }
      float da = dHidden[r];
      grad.b1[e * m + r] += da;
      int row = (e * m + r) * h;
      for (int i = 0; i < h; i++) {
        grad.w1[row + i] += da * x[i];
      }
    }
  }

  private static int argmax(float[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return best;
  }
}
