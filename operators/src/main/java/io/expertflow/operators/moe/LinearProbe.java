package io.expertflow.operators.moe;

import java.util.List;
import java.util.Random;

/**
 * A plain multinomial logistic regression on the same embeddings as the head: the baseline that
 * training reports beside the MoE head's figures, so that a reader sees what the routing costs or
 * buys in accuracy, and the solution the dense start of sparse upcycling begins from ({@link
 * DenseStart}). Two fits: {@link #train} (minibatch Adam with L2, the epoch with the best
 * validation accuracy kept; deterministic for a seed), which the head starts from, and {@link
 * #tuned} (solved to convergence at each L2 strength of a grid, the strength chosen on validation),
 * the regression at its best settings that {@code train --baseline TUNED} compares against. Not
 * part of any bundle.
 */
public final class LinearProbe {
  public static final int EPOCHS = 40;
  private static final int BATCH = 32;
  private static final float LEARNING_RATE = 2e-3f;
  private static final float L2 = 1e-4f;
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;

  private final int labels;
  private final int dim;
  private float[] weights;
  private float[] bias;
  private final double l2;

  private LinearProbe(int labels, int dim) {
    this(labels, dim, new float[labels * dim], new float[labels], L2);
  }

  LinearProbe(int labels, int dim, float[] weights, float[] bias, double l2) {
    this.labels = labels;
    this.dim = dim;
    this.weights = weights;
    this.bias = bias;
    this.l2 = l2;
  }

  /**
   * The regression at its best settings: the mean cross-entropy plus {@code l2 / 2 |W|^2} solved to
   * convergence by L-BFGS for each strength of {@link TunedRegression#L2_GRID}, the one with the
   * lowest validation cross-entropy kept ({@link TunedRegression}). Deterministic; slower than
   * {@link #train}: about 7 s for the demo recipe's 4,000 samples on two cores.
   *
   * @throws IllegalArgumentException if there are no training samples
   */
  public static LinearProbe tuned(
      List<LabeledEmbedding> train, List<LabeledEmbedding> validation, int labels, int dim) {
    return TunedRegression.fit(train, validation, labels, dim);
  }

  /** Trains a probe over {@code labels} outputs and keeps its best epoch on {@code validation}. */
  public static LinearProbe train(
      List<LabeledEmbedding> train,
      List<LabeledEmbedding> validation,
      int labels,
      int dim,
      long seed) {
    if (train.isEmpty()) {
      throw new IllegalArgumentException("no training samples for the linear probe");
    }
    LinearProbe p = new LinearProbe(labels, dim);
    float[] m1w = new float[labels * dim];
    float[] m2w = new float[labels * dim];
    float[] m1b = new float[labels];
    float[] m2b = new float[labels];
    float[] gw = new float[labels * dim];
    float[] gb = new float[labels];
    float[] bestW = p.weights.clone();
    float[] bestB = p.bias.clone();
    double bestAccuracy = Double.NEGATIVE_INFINITY;
    int[] order = new int[train.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    int step = 0;
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int start = 0; start < order.length; start += BATCH) {
        int end = Math.min(order.length, start + BATCH);
        java.util.Arrays.fill(gw, 0f);
        java.util.Arrays.fill(gb, 0f);
        for (int i = start; i < end; i++) {
          LabeledEmbedding s = train.get(order[i]);
          float[] x = s.embedding();
          float[] dz = p.probabilities(x);
          dz[s.label()] -= 1f;
          for (int l = 0; l < labels; l++) {
            gb[l] += dz[l];
            int row = l * dim;
            for (int h = 0; h < dim; h++) {
              gw[row + h] += dz[l] * x[h];
            }
          }
        }
        step++;
        float n = end - start;
        float c1 = (float) (1 - Math.pow(BETA1, step));
        float c2 = (float) (1 - Math.pow(BETA2, step));
        adam(p.weights, gw, m1w, m2w, n, L2, c1, c2);
        adam(p.bias, gb, m1b, m2b, n, 0f, c1, c2);
      }
      double accuracy = validation.isEmpty() ? Double.NaN : p.accuracy(validation);
      if (validation.isEmpty() || accuracy > bestAccuracy) {
        bestAccuracy = accuracy;
        bestW = p.weights.clone();
        bestB = p.bias.clone();
      }
    }
    p.weights = bestW;
    p.bias = bestB;
    return p;
  }

  /** The L2 strengths {@link #tuned} tries, strongest first (a copy). */
  public static double[] tunedGrid() {
    return TunedRegression.L2_GRID.clone();
  }

  /** The weights, [labels, dim] row-major (a copy). */
  public float[] weights() {
    return weights.clone();
  }

  /** The biases, one per label (a copy). */
  public float[] bias() {
    return bias.clone();
  }

  /**
   * The L2 strength of the fit: fixed for {@link #train}, chosen on validation for {@link #tuned}.
   */
  public double l2() {
    return l2;
  }

  /** The arg-max label of {@code x}. */
  public int predict(float[] x) {
    float[] p = probabilities(x);
    int best = 0;
    for (int l = 1; l < p.length; l++) {
      if (p[l] > p[best]) {
        best = l;
      }
    }
    return best;
  }

  private double accuracy(List<LabeledEmbedding> samples) {
    int correct = 0;
    for (LabeledEmbedding s : samples) {
      if (predict(s.embedding()) == s.label()) {
        correct++;
      }
    }
    return (double) correct / samples.size();
  }

  float[] probabilities(float[] x) {
    float[] z = new float[labels];
    float max = Float.NEGATIVE_INFINITY;
    for (int l = 0; l < labels; l++) {
      float s = bias[l];
      int row = l * dim;
      for (int h = 0; h < dim; h++) {
        s += weights[row + h] * x[h];
      }
      z[l] = s;
      max = Math.max(max, s);
    }
    float sum = 0f;
    for (int l = 0; l < labels; l++) {
      z[l] = (float) Math.exp(z[l] - max);
      sum += z[l];
    }
    for (int l = 0; l < labels; l++) {
      z[l] /= sum;
    }
    return z;
  }

  private static void adam(
      float[] param, float[] grad, float[] m1, float[] m2, float n, float l2, float c1, float c2) {
    for (int i = 0; i < param.length; i++) {
      float g = grad[i] / n + l2 * param[i];
      m1[i] = BETA1 * m1[i] + (1 - BETA1) * g;
      m2[i] = BETA2 * m2[i] + (1 - BETA2) * g * g;
      param[i] -= LEARNING_RATE * (m1[i] / c1) / ((float) Math.sqrt(m2[i] / c2) + 1e-8f);
    }
  }
}
