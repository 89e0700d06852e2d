package io.expertflow.operators.moe;

/**
 * Plain-Java forward pass of the MoE head: the reference that the ONNX graph is tested against, and
 * the forward half of {@link MoeBackprop}, which training and expert updates share. Stateless and
 * thread-safe as long as the weights are not mutated concurrently.
 */
public final class MoeHeadReference {
  private final MoeHeadWeights w;
  private final MoeHeadConfig c;

  public MoeHeadReference(MoeHeadWeights weights) {
    this.w = weights;
    this.c = weights.config();
  }

  /** Forward pass for one embedding of size H. */
  public MoeOutput forward(float[] x) {
    if (x.length != c.hidden()) {
      throw new IllegalArgumentException(
          "embedding must have " + c.hidden() + " values, got " + x.length);
    }
    float[] g = gateLogits(x);
    MoePass pass = pass(x, g, select(g));
    return new MoeOutput(pass.probabilities(), pass.chosen(), pass.gates(), pass.domain());
  }

  /** The label logits of one embedding: the domain-scaled mixture, before the softmax. */
  public float[] logits(float[] x) {
    float[] g = gateLogits(x);
    MoePass pass = pass(x, g, select(g));
    int l = c.labelCount();
    float[] logits = new float[l];
    for (int i = 0; i < l; i++) {
      logits[i] =
          w.domainScale[pass.domain() * l + i] * pass.mix()[i]
              + w.domainBias[pass.domain() * l + i];
    }
    return logits;
  }

  /**
   * The forward pass with every intermediate that the backward pass needs, for {@code x} routed to
   * {@code chosen} (normally {@code select(gateLogits(x))}; training may route with noise).
   */
  MoePass pass(float[] x, int[] chosen) {
    return pass(x, gateLogits(x), chosen);
  }

  private MoePass pass(float[] x, float[] g, int[] chosen) {
    float[] gates = gateWeights(g, chosen);
    int l = c.labelCount();
    int k = chosen.length;
    float[][] hidden = new float[k][];
    float[][] y = new float[k][];
    float[] mix = new float[l];
    for (int j = 0; j < k; j++) {
      hidden[j] = hidden(chosen[j], x);
      y[j] = expertLogits(chosen[j], x, hidden[j]);
      for (int i = 0; i < l; i++) {
        mix[i] += gates[j] * y[j][i];
      }
    }
    int domain = domain(chosen, gates);
    float[] logits = new float[l];
    for (int i = 0; i < l; i++) {
      logits[i] = w.domainScale[domain * l + i] * mix[i] + w.domainBias[domain * l + i];
    }
    return new MoePass(chosen, gates, hidden, y, mix, domain, softmax(logits));
  }

  /**
   * Intermediates of one forward pass.
   *
   * @param hidden post-ReLU activations of each chosen expert
   * @param expertLogits label logits of each chosen expert
   * @param mix gate-weighted mixture of the expert logits
   * @param probabilities softmax of the domain-scaled mixture
   */
  record MoePass(
      int[] chosen,
      float[] gates,
      float[][] hidden,
      float[][] expertLogits,
      float[] mix,
      int domain,
      float[] probabilities) {}

  /** Unbiased gate logits {@code Wg x + bg}. */
  public float[] gateLogits(float[] x) {
    int h = c.hidden();
    float[] g = new float[c.experts()];
    for (int e = 0; e < g.length; e++) {
      float s = w.gateB[e];
      int row = e * h;
      for (int i = 0; i < h; i++) {
        s += w.gateW[row + i] * x[i];
      }
      g[e] = s;
    }
    return g;
  }

  /** The k experts with the largest {@code logit + routeBias}, best first, ties to lower index. */
  public int[] select(float[] gateLogits) {
    int k = c.topK();
    int[] chosen = new int[k];
    boolean[] taken = new boolean[gateLogits.length];
    for (int j = 0; j < k; j++) {
      int best = -1;
      float bestScore = Float.NEGATIVE_INFINITY;
      for (int e = 0; e < gateLogits.length; e++) {
        float score = gateLogits[e] + w.routeBias[e];
        if (!taken[e] && (best < 0 || score > bestScore)) {
          best = e;
          bestScore = score;
        }
      }
      taken[best] = true;
      chosen[j] = best;
    }
    return chosen;
  }

  /** Softmax over the chosen experts' unbiased logits. */
  public float[] gateWeights(float[] gateLogits, int[] chosen) {
    float[] z = new float[chosen.length];
    for (int j = 0; j < chosen.length; j++) {
      z[j] = gateLogits[chosen[j]];
    }
    return softmax(z);
  }

  /** Label logits of one base expert: {@code W2 relu(W1 x + b1) + b2}. */
  public float[] expertLogits(int expert, float[] x) {
    return expertLogits(expert, x, hidden(expert, x));
  }

  /** Post-ReLU hidden activations of one base expert. */
  public float[] hidden(int expert, float[] x) {
    int h = c.hidden();
    int m = c.expertHidden();
    float[] a = new float[m];
    for (int r = 0; r < m; r++) {
      float s = w.b1[expert * m + r];
      int row = (expert * m + r) * h;
      for (int i = 0; i < h; i++) {
        s += w.w1[row + i] * x[i];
      }
      a[r] = Math.max(0f, s);
    }
    return a;
  }

  float[] expertLogits(int expert, float[] x, float[] hidden) {
    int m = c.expertHidden();
    int l = c.labelCount();
    float[] y = new float[l];
    for (int r = 0; r < l; r++) {
      float s = w.b2[expert * l + r];
      int row = (expert * l + r) * m;
      for (int i = 0; i < m; i++) {
        s += w.w2[row + i] * hidden[i];
      }
      y[r] = s;
    }
    return y;
  }

  /** Domain whose chosen experts carry the largest total gate weight, ties to the lower index. */
  public int domain(int[] chosen, float[] gates) {
    float[] total = new float[c.domains()];
    for (int j = 0; j < chosen.length; j++) {
      total[c.domainOf(chosen[j])] += gates[j];
    }
    int best = 0;
    for (int d = 1; d < total.length; d++) {
      if (total[d] > total[best]) {
        best = d;
      }
    }
    return best;
  }

  static float[] softmax(float[] z) {
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
}
