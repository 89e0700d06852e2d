package io.expertflow.operators.moe;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The leading principal directions of a set of embeddings: the directions along which they vary
 * most, whatever their labels. Found by subspace iteration on the covariance (Golub and Van Loan,
 * Matrix Computations, section 8.2.4), deterministic for a seed.
 *
 * @param mean the samples' mean
 * @param directions unit vectors, largest variance first
 * @param deviations the standard deviation of the samples along each direction
 */
record PrincipalDirections(float[] mean, float[][] directions, double[] deviations) {
  private static final int ITERATIONS = 60;

  /**
   * A direction is kept only if the samples' standard deviation along it is at least this share of
   * the leading direction's: along a direction the samples hardly span, a unit scaled by {@code 1 /
   * sd} would turn the smallest difference of a new document into a huge activation.
   */
  static final double MIN_RELATIVE_DEVIATION = 1e-3;

  /**
   * At most the {@code k} leading directions of {@code samples} (of dimension {@code dim}): fewer
   * where the samples span fewer (n samples span at most n - 1 directions and {@code dim} at most
   * {@code dim}), so the result may hold none.
   */
  static PrincipalDirections of(List<LabeledEmbedding> samples, int dim, int k, long seed) {
    if (samples.isEmpty() || k < 1) {
      throw new IllegalArgumentException(
          "need samples and k >= 1, got " + samples.size() + " samples, k " + k);
    }
    k = Math.min(k, Math.min(dim, samples.size() - 1));
    if (k < 1) {
      return new PrincipalDirections(new float[dim], new float[0][], new double[0]);
    }
    double[] mean = new double[dim];
    for (LabeledEmbedding s : samples) {
      float[] x = s.embedding();
      for (int i = 0; i < dim; i++) {
        mean[i] += x[i];
      }
    }
    for (int i = 0; i < dim; i++) {
      mean[i] /= samples.size();
    }
    double[] cov = new double[dim * dim];
    double[] c = new double[dim];
    for (LabeledEmbedding s : samples) {
      float[] x = s.embedding();
      for (int i = 0; i < dim; i++) {
        c[i] = x[i] - mean[i];
      }
      for (int i = 0; i < dim; i++) {
        double ci = c[i];
        int row = i * dim;
        for (int j = i; j < dim; j++) {
          cov[row + j] += ci * c[j];
        }
      }
    }
    for (int i = 0; i < dim; i++) {
      for (int j = i; j < dim; j++) {
        double v = cov[i * dim + j] / samples.size();
        cov[i * dim + j] = v;
        cov[j * dim + i] = v;
      }
    }
    Random random = new Random(seed);
    double[][] q = new double[k][dim];
    for (double[] v : q) {
      for (int i = 0; i < dim; i++) {
        v[i] = random.nextGaussian();
      }
    }
    orthonormalise(q);
    double[][] next = new double[k][dim];
    for (int it = 0; it < ITERATIONS; it++) {
      for (int a = 0; a < k; a++) {
        multiply(cov, q[a], next[a], dim);
      }
      double[][] t = q;
      q = next;
      next = t;
      orthonormalise(q);
    }
    float[][] directions = new float[k][dim];
    double[] deviations = new double[k];
    double[] cq = new double[dim];
    for (int a = 0; a < k; a++) {
      multiply(cov, q[a], cq, dim);
      double variance = 0;
      for (int i = 0; i < dim; i++) {
        variance += q[a][i] * cq[i];
        directions[a][i] = (float) q[a][i];
      }
      deviations[a] = Math.sqrt(Math.max(0, variance));
    }
    float[] m = new float[dim];
    for (int i = 0; i < dim; i++) {
      m[i] = (float) mean[i];
    }
    int kept = 0;
    while (kept < k && deviations[kept] > MIN_RELATIVE_DEVIATION * deviations[0]) {
      kept++;
    }
    return new PrincipalDirections(
        m, Arrays.copyOf(directions, kept), Arrays.copyOf(deviations, kept));
  }

  /**
   * Writes one pair of hidden units per direction into every expert of {@code weights}, from unit
   * {@code firstUnit} on: {@code relu(+-(p . (x - mean)) / sd)}, with no weight in the output
   * layer, so the answers do not change.
   */
  void writeUnitPairs(MoeHeadWeights weights, int firstUnit) {
    MoeHeadConfig shape = weights.config();
    int h = shape.hidden();
    int m = shape.expertHidden();
    int l = shape.labelCount();
    for (int e = 0; e < shape.experts(); e++) {
      for (int j = 0; j < directions.length; j++) {
        float[] p = directions[j];
        double sd = Math.max(1e-6, deviations[j]);
        double centre = 0;
        for (int i = 0; i < h; i++) {
          centre += p[i] * mean[i];
        }
        for (int sign = 0; sign < 2; sign++) {
          int u = e * m + firstUnit + 2 * j + sign;
          double s = sign == 0 ? 1 : -1;
          for (int i = 0; i < h; i++) {
            weights.w1[u * h + i] = (float) (s * p[i] / sd);
          }
          weights.b1[u] = (float) (-s * centre / sd);
          for (int label = 0; label < l; label++) {
            weights.w2[(e * l + label) * m + firstUnit + 2 * j + sign] = 0f;
          }
        }
      }
    }
  }

  private static void multiply(double[] matrix, double[] v, double[] out, int dim) {
    for (int i = 0; i < dim; i++) {
      double s = 0;
      int row = i * dim;
      for (int j = 0; j < dim; j++) {
        s += matrix[row + j] * v[j];
      }
      out[i] = s;
    }
  }

  /** Modified Gram-Schmidt, in order. */
  private static void orthonormalise(double[][] vectors) {
    for (int a = 0; a < vectors.length; a++) {
      double[] v = vectors[a];
      for (int b = 0; b < a; b++) {
        double d = 0;
        for (int i = 0; i < v.length; i++) {
          d += v[i] * vectors[b][i];
        }
        for (int i = 0; i < v.length; i++) {
          v[i] -= d * vectors[b][i];
        }
      }
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < v.length; i++) {
        v[i] = norm > 0 ? v[i] / norm : 0;
      }
    }
  }
}
