package io.expertflow.memory;

import java.util.Random;

/** Seeded synthetic unit vectors for tests: clusters around random centres, and exact search. */
final class TestVectors {
  private final Random random;
  private final int dim;
  private final float[][] centres;
  private final double spread;

  TestVectors(long seed, int dim, int clusters, double spread) {
    this.random = new Random(seed);
    this.dim = dim;
    this.spread = spread;
    this.centres = new float[clusters][];
    for (int c = 0; c < clusters; c++) {
      centres[c] = unit(gaussian());
    }
  }

  /** A unit vector near a random centre. */
  float[] next() {
    float[] centre = centres[random.nextInt(centres.length)];
    float[] v = gaussian();
    for (int i = 0; i < dim; i++) {
      v[i] = centre[i] + (float) (spread * v[i] / Math.sqrt(dim));
    }
    return unit(v);
  }

  /** A unit vector with the given first coordinates pattern: {@code axis} set, the rest 0. */
  static float[] axis(int dim, int axis) {
    float[] v = new float[dim];
    v[axis] = 1;
    return v;
  }

  /** {@code a} tilted towards {@code b} by {@code t} in [0, 1], normalised. */
  static float[] mix(float[] a, float[] b, double t) {
    float[] v = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      v[i] = (float) ((1 - t) * a[i] + t * b[i]);
    }
    return unit(v);
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private float[] gaussian() {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  static float[] unit(float[] v) {
    double n = Math.sqrt(dot(v, v));
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / n);
    }
    return v;
  }
}
