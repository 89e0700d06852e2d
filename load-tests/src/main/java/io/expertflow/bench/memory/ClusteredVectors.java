package io.expertflow.bench.memory;

import java.util.Random;

/**
 * Synthetic L2-normalised vectors that cluster as sentence embeddings do, rather than uniform noise
 * (on which every point is about equally far from every other and HNSW looks worse than it is on
 * real data): {@code clusters} random unit centres, each vector its centre plus Gaussian noise of
 * norm about {@code spread}, normalised. With spread 1 a vector's cosine to its centre is about 0.7
 * and to a vector of its own cluster about 0.5. Deterministic per seed; not thread-safe.
 */
final class ClusteredVectors {
  private final Random random;
  private final int dim;
  private final float[][] centres;
  private final double spread;

  ClusteredVectors(long seed, int dim, int clusters, double spread) {
    this.random = new Random(seed);
    this.dim = dim;
    this.spread = spread;
    this.centres = new float[clusters][];
    for (int c = 0; c < clusters; c++) {
      float[] v = new float[dim];
      for (int i = 0; i < dim; i++) {
        v[i] = (float) random.nextGaussian();
      }
      centres[c] = normalise(v);
    }
  }

  /** {@code n} vectors, row after row, in one array of {@code n * dim} values. */
  float[] rows(int n) {
    float[] out = new float[Math.multiplyExact(n, dim)];
    float[] v = new float[dim];
    double scale = spread / Math.sqrt(dim);
    for (int r = 0; r < n; r++) {
      float[] centre = centres[random.nextInt(centres.length)];
      for (int i = 0; i < dim; i++) {
        v[i] = (float) (centre[i] + scale * random.nextGaussian());
      }
      System.arraycopy(normalise(v), 0, out, r * dim, dim);
    }
    return out;
  }

  static float[] row(float[] rows, int dim, int r) {
    float[] v = new float[dim];
    System.arraycopy(rows, r * dim, v, 0, dim);
    return v;
  }

  private static float[] normalise(float[] v) {
    double n = 0;
    for (float x : v) {
      n += (double) x * x;
    }
    n = Math.sqrt(n);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / n);
    }
    return v;
  }
}
