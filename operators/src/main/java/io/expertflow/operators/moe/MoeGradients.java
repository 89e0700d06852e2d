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

  /**
   * The squared L2 norm of the gradients {@code mask} lets change, over the touched blocks: what an
   * optimizer step would apply, so what DP-SGD clips.
   */
  public double maskedNormSquared(MoeParameterMask mask) {
    int h = config.hidden();
    int m = config.expertHidden();
    int l = config.labelCount();
    double sum = 0;
    for (int e = 0; e < touchedExperts.length; e++) {
      if (!touchedExperts[e] || !mask.expert(e)) {
        continue;
      }
      if (mask.gateRow(e)) {
        sum += squares(gateW, e * h, h) + gateB[e] * (double) gateB[e];
      }
      if (mask.firstLayer(e)) {
        sum += squares(w1, e * m * h, m * h) + squares(b1, e * m, m);
      }
      for (int r = 0; r < l; r++) {
        if (mask.outputRow(e, r)) {
          sum += squares(w2, (e * l + r) * m, m) + b2[e * l + r] * (double) b2[e * l + r];
        }
      }
    }
    for (int d = 0; d < touchedDomains.length; d++) {
      if (touchedDomains[d] && mask.domain(d)) {
        sum += squares(domainScale, d * l, l) + squares(domainBias, d * l, l);
      }
    }
    return sum;
  }

  /** Adds {@code factor} times every touched block of {@code other} to this, marking them. */
  public void addScaled(MoeGradients other, float factor) {
    int h = config.hidden();
    int m = config.expertHidden();
    int l = config.labelCount();
    for (int e = 0; e < touchedExperts.length; e++) {
      if (other.touchedExperts[e]) {
        touchedExperts[e] = true;
        add(gateW, other.gateW, e * h, h, factor);
        gateB[e] += factor * other.gateB[e];
        add(w1, other.w1, e * m * h, m * h, factor);
        add(b1, other.b1, e * m, m, factor);
        add(w2, other.w2, e * l * m, l * m, factor);
        add(b2, other.b2, e * l, l, factor);
      }
    }
    for (int d = 0; d < touchedDomains.length; d++) {
      if (other.touchedDomains[d]) {
        touchedDomains[d] = true;
        add(domainScale, other.domainScale, d * l, l, factor);
        add(domainBias, other.domainBias, d * l, l, factor);
      }
    }
  }

  /**
   * Adds independent Gaussian noise of standard deviation {@code std} to every gradient {@code
   * mask} lets change, touched or not (DP-SGD: a parameter left without noise when no sample
   * reached it would tell which samples were drawn), and marks those blocks touched.
   */
  public void addGaussianNoise(MoeParameterMask mask, double std, java.util.Random random) {
    int h = config.hidden();
    int m = config.expertHidden();
    int l = config.labelCount();
    for (int e = 0; e < touchedExperts.length; e++) {
      if (!mask.expert(e)) {
        continue;
      }
      touchedExperts[e] = true;
      if (mask.gateRow(e)) {
        noise(gateW, e * h, h, std, random);
        noise(gateB, e, 1, std, random);
      }
      if (mask.firstLayer(e)) {
        noise(w1, e * m * h, m * h, std, random);
        noise(b1, e * m, m, std, random);
      }
      for (int r = 0; r < l; r++) {
        if (mask.outputRow(e, r)) {
          noise(w2, (e * l + r) * m, m, std, random);
          noise(b2, e * l + r, 1, std, random);
        }
      }
    }
    for (int d = 0; d < touchedDomains.length; d++) {
      if (mask.domain(d)) {
        touchedDomains[d] = true;
        noise(domainScale, d * l, l, std, random);
        noise(domainBias, d * l, l, std, random);
      }
    }
  }

  private static double squares(float[] a, int from, int length) {
    double s = 0;
    for (int i = from; i < from + length; i++) {
      s += a[i] * (double) a[i];
    }
    return s;
  }

  private static void add(float[] to, float[] from, int start, int length, float factor) {
    for (int i = start; i < start + length; i++) {
      to[i] += factor * from[i];
    }
  }

  private static void noise(float[] a, int from, int length, double std, java.util.Random random) {
    for (int i = from; i < from + length; i++) {
      a[i] += (float) (std * random.nextGaussian());
    }
  }
}
