package io.expertflow.operators.moe;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Separable test data: each label owns a few Gaussian clusters on the unit sphere. */
final class SyntheticClusters {
  private SyntheticClusters() {}

  static List<LabeledEmbedding> generate(
      int labels, int clustersPerLabel, int dim, int perCluster, double noise, long seed) {
    Random centres = new Random(seed);
    float[][] c = new float[labels * clustersPerLabel][];
    for (int i = 0; i < c.length; i++) {
      c[i] = gaussian(centres, dim, 1.0);
    }
    Random random = new Random(seed + 1);
    List<LabeledEmbedding> samples = new ArrayList<>();
    for (int n = 0; n < perCluster; n++) {
      for (int i = 0; i < c.length; i++) {
        float[] x = gaussian(random, dim, noise);
        for (int j = 0; j < dim; j++) {
          x[j] += c[i][j];
        }
        samples.add(new LabeledEmbedding(normalise(x), i / clustersPerLabel));
      }
    }
    return samples;
  }

  private static float[] gaussian(Random random, int dim, double std) {
    float[] x = new float[dim];
    for (int j = 0; j < dim; j++) {
      x[j] = (float) (random.nextGaussian() * std);
    }
    return x;
  }

  private static float[] normalise(float[] x) {
    double norm = 0;
    for (float v : x) {
      norm += v * v;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int j = 0; j < x.length; j++) {
      x[j] *= inv;
    }
    return x;
  }
}
