package io.expertflow.operators.moe;

/**
 * The backward pass of the head, shared by full training and expert updates: the weighted
 * cross-entropy of one sample and its gradient with respect to every parameter it used that a
 * {@link MoeParameterMask} lets change (the gate rows of the chosen experts, through the softmax
 * over their logits; the chosen experts; the domain expert that combined them). Selection itself
 * (top-k, routing bias, domain argmax) is piecewise constant and carries no gradient. The forward
 * half is {@link MoeHeadReference#pass}, so the loss is the served model's loss. Output-row
 * gradients of an allowed expert are computed for every row; {@link MoeAdam} applies only the
 * allowed ones. Not thread-safe: one instance per training thread.
 */
public final class MoeBackprop {
  private final MoeHeadWeights w;
  private final MoeHeadConfig c;
  private final MoeHeadReference head;
  private final MoeParameterMask mask;

  /** Gradients of every parameter, as full training needs. */
  public MoeBackprop(MoeHeadWeights weights) {
    this(weights, MoeParameterMask.all(weights.config()));
  }

  /** Gradients of the parameters {@code mask} allows; nothing else is written. */
  public MoeBackprop(MoeHeadWeights weights, MoeParameterMask mask) {
    this.w = weights;
    this.c = weights.config();
    this.head = new MoeHeadReference(weights);
    this.mask = mask;
  }

  /**
   * Adds the gradient of {@code -log p(label | x)} to {@code grad}, routing {@code x} to {@code
   * chosen}, and returns the loss; {@code predicted[0]} receives the arg-max label.
   */
  float accumulate(float[] x, int label, int[] chosen, MoeGradients grad, int[] predicted) {
    return accumulate(x, label, chosen, 1f, grad, predicted);
  }

  /**
   * Adds {@code weight} times the gradient of {@code -log p(label | x)} to {@code grad}, routing
   * {@code x} to {@code chosen}, marks the blocks it wrote as touched, and returns the unweighted
   * loss.
   *
   * @param predicted receives the arg-max label in {@code [0]}; may be null
   */
  public float accumulate(
      float[] x, int label, int[] chosen, float weight, MoeGradients grad, int[] predicted) {
    int l = c.labelCount();
    int h = c.hidden();
    int k = chosen.length;
    MoeHeadReference.MoePass pass = head.pass(x, chosen);
    float[] p = pass.probabilities();
    if (predicted != null) {
      predicted[0] = LabelEvidence.argmax(p);
    }
    float loss = (float) -Math.log(Math.max(p[label], 1e-12f));

    // d loss / d logits = p - onehot(label)
    float[] dz = p;
    dz[label] -= 1f;
    int d = pass.domain();
    boolean domainTrainable = mask.domain(d);
    if (domainTrainable) {
      grad.touchedDomains[d] = true;
    }
    float[] mix = pass.mix();
    float[] dm = new float[l];
    for (int i = 0; i < l; i++) {
      if (domainTrainable) {
        float wdz = weight * dz[i];
        grad.domainScale[d * l + i] += wdz * mix[i];
        grad.domainBias[d * l + i] += wdz;
      }
      dm[i] = dz[i] * (weight * w.domainScale[d * l + i]);
    }
    // mixture: dy_j = gate_j * dm, dgate_j = dm . y_j
    float[] gates = pass.gates();
    float[][] y = pass.expertLogits();
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
      if (!mask.expert(e)) {
        continue;
      }
      grad.touchedExperts[e] = true;
      if (mask.gateRow(e)) {
        // softmax over the chosen logits: dg_j = gate_j * (dGate_j - sum_i gate_i dGate_i)
        float dg = gates[j] * (dGate[j] - weighted);
        grad.gateB[e] += dg;
        int gateRow = e * h;
        for (int i = 0; i < h; i++) {
          grad.gateW[gateRow + i] += dg * x[i];
        }
      }
      expertBackward(e, x, pass.hidden()[j], dm, gates[j], grad);
    }
    return loss;
  }

  private void expertBackward(
      int e, float[] x, float[] hidden, float[] dm, float gate, MoeGradients grad) {
    int l = c.labelCount();
    int m = c.expertHidden();
    int h = c.hidden();
    boolean firstLayer = mask.firstLayer(e);
    float[] dHidden = firstLayer ? new float[m] : null;
    for (int r = 0; r < l; r++) {
      float dy = gate * dm[r];
      grad.b2[e * l + r] += dy;
      int row = (e * l + r) * m;
      for (int i = 0; i < m; i++) {
        grad.w2[row + i] += dy * hidden[i];
        if (firstLayer) {
          dHidden[i] += dy * w.w2[row + i];
        }
      }
    }
    if (!firstLayer) {
      return;
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
}
