package io.expertflow.operators.moe;

import java.util.List;
import java.util.Objects;

/**
 * Learns one label's output row as a change shared by every expert: {@code W2[e, r] += Δw} and
 * {@code b2[e, r] += Δb} for all experts e, with the gate, the first layers and every other row
 * fixed.
 *
 * <p>Because the gate weights of the chosen experts sum to one, the label's mixture logit moves by
 * {@code Δw · h̄(x) + Δb}, where {@code h̄(x)} is the gate-weighted mean of the chosen experts'
 * hidden activations. Fitting Δ is therefore a logistic regression of "label r or not" on {@code
 * h̄(x)} (through the served softmax and domain scale), which is convex, needs no routing luck
 * (every document reaches a changed row, whichever experts it goes to) and changes {@code E · (M +
 * 1)} parameters: 4,224 (0.25 %) at the default sizes. It suits a head trained by sparse upcycling,
 * whose experts start as copies of one dense expert and stay close to it, so their hidden units
 * keep roughly the same meaning.
 *
 * <p>Full-batch Adam with an L2 penalty on Δ; deterministic. Not thread-safe (it writes {@code
 * weights}).
 */
public final class SharedLabelRow {
  private final MoeHeadWeights weights;
  private final int label;

  /**
   * @param weights the head to change in place
   * @param label index of the row to learn
   */
  public SharedLabelRow(MoeHeadWeights weights, int label) {
    this.weights = Objects.requireNonNull(weights, "weights");
    if (label < 0 || label >= weights.config().labelCount()) {
      throw new IllegalArgumentException(
          "label must be in [0, " + weights.config().labelCount() + "), was " + label);
    }
    this.label = label;
  }

  /**
   * Fits Δ and adds it to the label's row of every expert.
   *
   * @param samples documents with their labels (the label's own and others)
   * @param sampleWeights loss weight of each sample, same order
   * @param steps full-batch optimizer steps
   * @param learningRate Adam step size
   * @param l2 penalty on {@code ||Δ||²}
   * @return the fitted change, {@code M} weights followed by the bias
   */
  public float[] fit(
      List<LabeledEmbedding> samples,
      float[] sampleWeights,
      int steps,
      double learningRate,
      double l2) {
    if (samples.size() != sampleWeights.length) {
      throw new IllegalArgumentException(
          samples.size() + " samples but " + sampleWeights.length + " weights");
    }
    Prepared p = prepare(samples, sampleWeights);
    int m = weights.config().expertHidden();
    int n = samples.size();
    float[][] mixed = p.mixed;
    double[] scale = p.scale;
    double total = p.total;
    double[] delta = new double[m + 1];
    Adam adam = new Adam(m + 1, learningRate, l2);
    double[] grad = new double[m + 1];
    for (int t = 1; t <= steps; t++) {
      java.util.Arrays.fill(grad, 0);
      for (int i = 0; i < n; i++) {
        double g = sampleWeights[i] / total * p.residual(i, delta, m) * scale[i];
        for (int u = 0; u < m; u++) {
          grad[u] += g * mixed[i][u];
        }
        grad[m] += g;
      }
      adam.step(delta, grad);
    }
    return applied(delta);
  }

  /**
   * Fits Δ with DP-SGD and adds it to the label's row of every expert. The samples of each of
   * {@code users} form one private unit: in every step it takes part with probability {@code
   * dp.sampleRate()}, its gradient (the sum of its samples') is clipped to {@code dp.clipNorm()}
   * and multiplied by its loss weight. Every other sample is a replayed training sample, public: it
   * takes part in every step (as without DP), clipped the same way. Gaussian noise for the largest
   * weight of a user's sample is added to the sum, which is divided by its expected weight.
   *
   * @param users indices into {@code samples} of each private unit (a feedback user's samples)
   * @return the fitted change, {@code M} weights followed by the bias
   */
  public float[] fitPrivately(
      List<LabeledEmbedding> samples,
      float[] sampleWeights,
      List<int[]> users,
      int steps,
      double learningRate,
      double l2,
      DpSgd dp) {
    Prepared p = prepare(samples, sampleWeights);
    int m = weights.config().expertHidden();
    int n = samples.size();
    boolean[] isUser = new boolean[n];
    double maxWeight = 0;
    double expected = 0;
    for (int[] user : users) {
      for (int i : user) {
        isUser[i] = true;
        maxWeight = Math.max(maxWeight, sampleWeights[i]);
      }
      // a user weighs as one unit however many samples they gave (their sum is clipped as one)
      expected += dp.sampleRate() * sampleWeights[user[0]];
    }
    for (int i = 0; i < n; i++) {
      expected += isUser[i] ? 0 : dp.sampleRate() * sampleWeights[i];
    }
    double[] norms = new double[n];
    for (int i = 0; i < n; i++) {
      double sq = 1; // the bias's input
      for (int u = 0; u < m; u++) {
        sq += p.mixed[i][u] * (double) p.mixed[i][u];
      }
      norms[i] = Math.sqrt(sq);
    }
    double[] delta = new double[m + 1];
    Adam adam = new Adam(m + 1, learningRate, l2);
    double[] grad = new double[m + 1];
    double[] unit = new double[m + 1];
    double noise = dp.noiseStd(maxWeight);
    for (int t = 1; t <= steps; t++) {
      java.util.Arrays.fill(grad, 0);
      for (int i = 0; i < n; i++) {
        if (!isUser[i]) {
          double g = p.residual(i, delta, m) * p.scale[i];
          // weighed by q, as if drawn like a user: the feedback keeps its share of the loss
          double factor =
              dp.sampleRate() * sampleWeights[i] * dp.clipFactor(Math.abs(g) * norms[i]) * g;
          addInput(grad, p.mixed[i], factor, m);
        }
      }
      for (int[] user : users) {
        if (!dp.draw()) {
          continue;
        }
        java.util.Arrays.fill(unit, 0);
        for (int i : user) {
          addInput(unit, p.mixed[i], p.residual(i, delta, m) * p.scale[i], m);
        }
        double norm = 0;
        for (double v : unit) {
          norm += v * v;
        }
        double factor = sampleWeights[user[0]] * dp.clipFactor(Math.sqrt(norm));
        for (int u = 0; u <= m; u++) {
          grad[u] += factor * unit[u];
        }
      }
      for (int u = 0; u <= m; u++) {
        grad[u] = (grad[u] + dp.gaussian(noise)) / expected;
      }
      adam.step(delta, grad);
    }
    return applied(delta);
  }

  private static void addInput(double[] to, float[] mixed, double g, int m) {
    for (int u = 0; u < m; u++) {
      to[u] += g * mixed[u];
    }
    to[m] += g;
  }

  private float[] applied(double[] delta) {
    float[] out = new float[delta.length];
    for (int u = 0; u < delta.length; u++) {
      out[u] = (float) delta[u];
    }
    apply(out);
    return out;
  }

  /** Adam with an L2 penalty on the parameters, as the full-batch fit always used. */
  private static final class Adam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private final double[] first;
    private final double[] second;
    private final double learningRate;
    private final double l2;
    private int t;

    Adam(int size, double learningRate, double l2) {
      this.first = new double[size];
      this.second = new double[size];
      this.learningRate = learningRate;
      this.l2 = l2;
    }

    void step(double[] delta, double[] grad) {
      t++;
      for (int u = 0; u < delta.length; u++) {
        double gu = grad[u] + l2 * delta[u];
        first[u] = BETA1 * first[u] + (1 - BETA1) * gu;
        second[u] = BETA2 * second[u] + (1 - BETA2) * gu * gu;
        double mHat = first[u] / (1 - Math.pow(BETA1, t));
        double vHat = second[u] / (1 - Math.pow(BETA2, t));
        delta[u] -= learningRate * mHat / (Math.sqrt(vHat) + 1e-8);
      }
    }
  }

  /** Per sample: h̄(x), the label's domain scale, its logit against the others, the target. */
  private record Prepared(
      float[][] mixed, double[] scale, double[] base, double[] target, double total) {
    /** p - target of sample i at Δ (d loss / d z is this times the domain scale). */
    double residual(int i, double[] delta, int m) {
      double z = delta[m];
      for (int u = 0; u < m; u++) {
        z += delta[u] * mixed[i][u];
      }
      return sigmoid(base[i] + scale[i] * z) - target[i];
    }
  }

  private Prepared prepare(List<LabeledEmbedding> samples, float[] sampleWeights) {
    if (samples.size() != sampleWeights.length) {
      throw new IllegalArgumentException(
          samples.size() + " samples but " + sampleWeights.length + " weights");
    }
    MoeHeadConfig c = weights.config();
    int m = c.expertHidden();
    int l = c.labelCount();
    MoeHeadReference head = new MoeHeadReference(weights);
    int n = samples.size();
    float[][] mixed = new float[n][];
    double[] scale = new double[n];
    double[] base = new double[n]; // the label's logit minus log-sum-exp of every other logit
    double[] target = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      LabeledEmbedding s = samples.get(i);
      MoeHeadReference.MoePass pass =
          head.pass(s.embedding(), head.select(head.gateLogits(s.embedding())));
      float[] h = new float[m];
      for (int j = 0; j < pass.chosen().length; j++) {
        for (int u = 0; u < m; u++) {
          h[u] += pass.gates()[j] * pass.hidden()[j][u];
        }
      }
      mixed[i] = h;
      int d = pass.domain();
      scale[i] = weights.domainScale[d * l + label];
      double[] logits = new double[l];
      double max = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < l; r++) {
        logits[r] = weights.domainScale[d * l + r] * pass.mix()[r] + weights.domainBias[d * l + r];
        if (r != label) {
          max = Math.max(max, logits[r]);
        }
      }
      double sum = 0;
      for (int r = 0; r < l; r++) {
        if (r != label) {
          sum += Math.exp(logits[r] - max);
        }
      }
      base[i] = logits[label] - (max + Math.log(sum));
      target[i] = s.label() == label ? 1 : 0;
      total += sampleWeights[i];
    }
    return new Prepared(mixed, scale, base, target, total);
  }

  /** The label's bias in every expert, expert by expert (a copy). */
  public float[] biases() {
    int l = weights.config().labelCount();
    float[] b = new float[weights.config().experts()];
    for (int e = 0; e < b.length; e++) {
      b[e] = weights.b2[e * l + label];
    }
    return b;
  }

  /** Sets the label's bias in every expert to {@code biases}, expert by expert. */
  public void setBiases(float[] biases) {
    int l = weights.config().labelCount();
    if (biases.length != weights.config().experts()) {
      throw new IllegalArgumentException(
          biases.length + " biases for " + weights.config().experts() + " experts");
    }
    for (int e = 0; e < biases.length; e++) {
      weights.b2[e * l + label] = biases[e];
    }
  }

  /** Adds a change (M weights, then the bias) to the label's row of every expert. */
  public void apply(float[] change) {
    MoeHeadConfig c = weights.config();
    int m = c.expertHidden();
    int l = c.labelCount();
    for (int e = 0; e < c.experts(); e++) {
      int row = (e * l + label) * m;
      for (int u = 0; u < m; u++) {
        weights.w2[row + u] += change[u];
      }
      weights.b2[e * l + label] += change[m];
    }
  }

  private static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }
}
