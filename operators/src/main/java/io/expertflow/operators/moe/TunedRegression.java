package io.expertflow.operators.moe;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The {@link LinearProbe#tuned} fit: a multinomial logistic regression whose objective, the mean
 * cross-entropy plus {@code l2 / 2 |W|^2} (biases not penalised), is solved to convergence by
 * full-batch L-BFGS ({@link Lbfgs}) for each strength of {@link #L2_GRID}, strongest first, each
 * solve warm-started from the previous one (a regularisation path). The strength with the lowest
 * validation cross-entropy is kept; the path stops once the validation loss has risen twice in a
 * row. Without validation samples, {@link #DEFAULT_L2} is used. The objective is convex and the
 * solver has no randomness, so the result depends on the samples alone; the gradient is computed on
 * all cores.
 */
final class TunedRegression implements Lbfgs.Function {
  /** The L2 strengths tried, strongest first. */
  static final double[] L2_GRID = {1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6};

  /** The strength used without validation samples. */
  static final double DEFAULT_L2 = 1e-3;

  private static final int MAX_ITERATIONS = 300;

  /**
   * The samples are cut into this many blocks, whose gradients are computed in parallel and summed
   * in order: a fixed number, so that the fit is the same on any number of cores.
   */
  private static final int BLOCKS = 16;

  private final double[] x;
  private final int[] y;
  private final int n;
  private final int labels;
  private final int dim;
  private double l2;

  private TunedRegression(List<LabeledEmbedding> samples, int labels, int dim) {
    this.n = samples.size();
    this.labels = labels;
    this.dim = dim;
    this.x = new double[n * dim];
    this.y = new int[n];
    for (int i = 0; i < n; i++) {
      LabeledEmbedding s = samples.get(i);
      float[] e = s.embedding();
      if (e.length != dim || s.label() >= labels) {
        throw new IllegalArgumentException(
            "sample "
                + i
                + " has "
                + e.length
                + " dimensions and label "
                + s.label()
                + ", expected "
                + dim
                + " and a label below "
                + labels);
      }
      for (int h = 0; h < dim; h++) {
        x[i * dim + h] = e[h];
      }
      y[i] = s.label();
    }
  }

  static LinearProbe fit(
      List<LabeledEmbedding> train, List<LabeledEmbedding> validation, int labels, int dim) {
    if (train.isEmpty()) {
      throw new IllegalArgumentException("no training samples for the logistic regression");
    }
    if (validation.isEmpty()) {
      return fitAt(train, labels, dim, DEFAULT_L2);
    }
    TunedRegression objective = new TunedRegression(train, labels, dim);
    double[] theta = new double[labels * dim + labels];
    LinearProbe best = null;
    double bestLoss = Double.POSITIVE_INFINITY;
    double previousLoss = Double.POSITIVE_INFINITY;
    int rises = 0;
    for (double l2 : L2_GRID) {
      objective.l2 = l2;
      Lbfgs.minimise(objective, theta, MAX_ITERATIONS);
      LinearProbe probe = objective.probe(theta);
      double loss = meanLoss(probe, validation);
      if (loss < bestLoss) {
        bestLoss = loss;
        best = probe;
      }
      rises = loss > previousLoss ? rises + 1 : 0;
      previousLoss = loss;
      if (rises == 2) {
        break;
      }
    }
    return best;
  }

  /** The regression at one L2 strength, solved from zero to convergence. */
  static LinearProbe fitAt(List<LabeledEmbedding> train, int labels, int dim, double l2) {
    if (train.isEmpty()) {
      throw new IllegalArgumentException("no training samples for the logistic regression");
    }
    TunedRegression objective = new TunedRegression(train, labels, dim);
    objective.l2 = l2;
    double[] theta = new double[labels * dim + labels];
    Lbfgs.minimise(objective, theta, MAX_ITERATIONS);
    return objective.probe(theta);
  }

  /** A fresh objective at strength {@code l2}: for checks of its value and gradient. */
  static TunedRegression objective(List<LabeledEmbedding> train, int labels, int dim, double l2) {
    TunedRegression objective = new TunedRegression(train, labels, dim);
    objective.l2 = l2;
    return objective;
  }

  private LinearProbe probe(double[] theta) {
    float[] w = new float[labels * dim];
    float[] b = new float[labels];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) theta[i];
    }
    for (int l = 0; l < labels; l++) {
      b[l] = (float) theta[w.length + l];
    }
    return new LinearProbe(labels, dim, w, b, l2);
  }

  static double meanLoss(LinearProbe probe, List<LabeledEmbedding> samples) {
    double sum = 0;
    for (LabeledEmbedding s : samples) {
      sum -= Math.log(Math.max(probe.probabilities(s.embedding())[s.label()], 1e-30));
    }
    return sum / samples.size();
  }

  @Override
  public double valueAndGradient(double[] theta, double[] gradient) {
    int blocks = Math.min(BLOCKS, n);
    double[][] partial = new double[blocks][];
    double[] losses = new double[blocks];
    IntStream.range(0, blocks)
        .parallel()
        .forEach(
            b -> {
              partial[b] = new double[theta.length];
              losses[b] = accumulate(theta, partial[b], b * n / blocks, (b + 1) * n / blocks);
            });
    // summed in block order whatever the threads did: the same result on any number of cores
    Arrays.fill(gradient, 0);
    double loss = 0;
    for (int b = 0; b < blocks; b++) {
      loss += losses[b];
      double[] g = partial[b];
      for (int j = 0; j < g.length; j++) {
        gradient[j] += g[j];
      }
    }
    int biasAt = labels * dim;
    double penalty = 0;
    for (int j = 0; j < biasAt; j++) {
      penalty += theta[j] * theta[j];
      gradient[j] = gradient[j] / n + l2 * theta[j];
    }
    for (int l = 0; l < labels; l++) {
      gradient[biasAt + l] /= n;
    }
    return loss / n + 0.5 * l2 * penalty;
  }

  /** The summed cross-entropy of samples [from, to) and its gradient, added to {@code gradient}. */
  private double accumulate(double[] theta, double[] gradient, int from, int to) {
    int biasAt = labels * dim;
    double[] z = new double[labels];
    double loss = 0;
    for (int i = from; i < to; i++) {
      int xi = i * dim;
      double max = Double.NEGATIVE_INFINITY;
      for (int l = 0; l < labels; l++) {
        double s = theta[biasAt + l];
        int row = l * dim;
        for (int h = 0; h < dim; h++) {
          s += theta[row + h] * x[xi + h];
        }
        z[l] = s;
        max = Math.max(max, s);
      }
      double shifted = z[y[i]] - max;
      double sum = 0;
      for (int l = 0; l < labels; l++) {
        z[l] = Math.exp(z[l] - max);
        sum += z[l];
      }
      loss += Math.log(sum) - shifted;
      for (int l = 0; l < labels; l++) {
        double dz = z[l] / sum - (l == y[i] ? 1 : 0);
        gradient[biasAt + l] += dz;
        int row = l * dim;
        for (int h = 0; h < dim; h++) {
          gradient[row + h] += dz * x[xi + h];
        }
      }
    }
    return loss;
  }
}
