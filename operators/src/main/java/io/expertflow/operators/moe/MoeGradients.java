package io.expertflow.operators.moe;

import java.util.Arrays;

/**
 * Gradient buffers shaped like {@link MoeHeadWeights}, with the set of experts and domains that a
 * batch touched, so that clearing and optimizer steps cost only what the batch routed. Whoever adds
 * to a block marks it touched; {@link #clear} zeroes only touched blocks. Not thread-safe.
 */
public final class MoeGradients {
  final MoeHeadConfig config;
  final float[] gateW;
  final float[] gateB;
  final float[] w1;
  final float[] b1;
  final float[] w2;
  final float[] b2;
  final float[] domainScale;
  final float[] domainBias;
  final boolean[] touchedExperts;
  final boolean[] touchedDomains;

  public MoeGradients(MoeHeadConfig config) {
    this.config = config;
    int e = config.experts();
    int h = config.hidden();
    int m = config.expertHidden();
    int l = config.labelCount();
    int d = config.domains();
    gateW = new float[e * h];
    gateB = new float[e];
    w1 = new float[e * m * h];
    b1 = new float[e * m];
    w2 = new float[e * l * m];
    b2 = new float[e * l];
    domainScale = new float[d * l];
    domainBias = new float[d * l];
    touchedExperts = new boolean[e];
    touchedDomains = new boolean[d];
  }

  /** Zeroes the gradients of everything the last batch touched. */
  public void clear() {
    int h = config.hidden();
    int m = config.expertHidden();
    int l = config.labelCount();
    for (int e = 0; e < touchedExperts.length; e++) {
      if (touchedExperts[e]) {
        Arrays.fill(gateW, e * h, (e + 1) * h, 0f);
        gateB[e] = 0f;
        Arrays.fill(w1, e * m * h, (e + 1) * m * h, 0f);
        Arrays.fill(b1, e * m, (e + 1) * m, 0f);
        Arrays.fill(w2, e * l * m, (e + 1) * l * m, 0f);
        Arrays.fill(b2, e * l, (e + 1) * l, 0f);
        touchedExperts[e] = false;
      }
    }
    for (int d = 0; d < touchedDomains.length; d++) {
      if (touchedDomains[d]) {
        Arrays.fill(domainScale, d * l, (d + 1) * l, 0f);
        Arrays.fill(domainBias, d * l, (d + 1) * l, 0f);
        touchedDomains[d] = false;
      }
    }
  }

  /** Multiplies every touched gradient by {@code factor} (e.g. 1 / batch size). */
  public void scale(float factor) {
    int h = config.hidden();
    int m = config.expertHidden();
    int l = config.labelCount();
    for (int e = 0; e < touchedExperts.length; e++) {
      if (touchedExperts[e]) {
        scale(gateW, e * h, h, factor);
        gateB[e] *= factor;
        scale(w1, e * m * h, m * h, factor);
        scale(b1, e * m, m, factor);
        scale(w2, e * l * m, l * m, factor);
        scale(b2, e * l, l, factor);
      }
    }
    for (int d = 0; d < touchedDomains.length; d++) {
      if (touchedDomains[d]) {
        scale(domainScale, d * l, l, factor);
        scale(domainBias, d * l, l, factor);
      }
    }
  }

  /**
   * Adds {@code scale * x} to expert {@code e}'s gate-row gradient and {@code scale} to its gate
   * bias gradient (a term of a loss on the gate score {@code Wg_e x + bg_e}).
   */
  public void addToGateRow(int e, float[] x, float scale) {
    int h = config.hidden();
    touchedExperts[e] = true;
    int row = e * h;
    for (int i = 0; i < h; i++) {
      gateW[row + i] += scale * x[i];
    }
    gateB[e] += scale;
  }

  /** A copy of expert {@code e}'s gate-row gradient with its gate bias gradient appended. */
  public float[] gateRow(int e) {
    int h = config.hidden();
    float[] out = Arrays.copyOf(Arrays.copyOfRange(gateW, e * h, (e + 1) * h), h + 1);
    out[h] = gateB[e];
    return out;
  }

  private static void scale(float[] a, int from, int length, float factor) {
    for (int i = from; i < from + length; i++) {
      a[i] *= factor;
    }
  }
}
