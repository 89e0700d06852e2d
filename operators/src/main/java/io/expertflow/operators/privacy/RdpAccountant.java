package io.expertflow.operators.privacy;

import java.util.Arrays;

/**
 * Rényi differential privacy (RDP) of DP-SGD: the sampled Gaussian mechanism (Mironov, Talwar and
 * Zhang, "Rényi Differential Privacy of the Sampled Gaussian Mechanism", 2019), with the classical
 * conversion to (epsilon, delta) (Mironov, "Rényi Differential Privacy", 2017, Proposition 3).
 *
 * <p>One step includes each unit (a feedback user, a replayed sample) independently with
 * probability {@code q} (Poisson subsampling), clips each unit's gradient to L2 norm C and adds
 * Gaussian noise of standard deviation {@code sigma * C} to their sum. For an integer order α its
 * RDP is exactly {@code log(A_α) / (α - 1)} with
 *
 * <pre>
 *   A_α = Σ_{k=0..α} C(α, k) (1 - q)^(α - k) q^k exp((k² - k) / (2 σ²))
 * </pre>
 *
 * (section 3.3 of the 2019 paper; the same closed form as TensorFlow Privacy's integer-order
 * branch). RDP composes by addition, order by order, so {@code T} steps cost {@code T} times one
 * step, and the updates a user took part in cost the sum of their vectors. Epsilon at {@code delta}
 * is {@code min over α of RDP(α) + log(1 / delta) / (α - 1)}.
 *
 * <p>Only integer orders are used ({@link #ORDERS}: 2 to 64, then 80 to 512), for which the formula
 * is exact. Libraries that add fractional orders below 2 report a lower epsilon when epsilon is
 * large (tens or more); this accountant's figure is then an upper bound, never an underestimate.
 * Stateless and thread-safe.
 */
public final class RdpAccountant {
  /** The orders α at which RDP is tracked, ascending. Vectors of this class are indexed alike. */
  private static final double[] ORDERS = buildOrders();

  private RdpAccountant() {}

  /** The orders α, ascending (a copy). */
  public static double[] orders() {
    return ORDERS.clone();
  }

  private static double[] buildOrders() {
    double[] o = new double[63 + 6];
    for (int a = 2; a <= 64; a++) {
      o[a - 2] = a;
    }
    int i = 63;
    for (int a : new int[] {80, 96, 128, 192, 256, 512}) {
      o[i++] = a;
    }
    return o;
  }

  /**
   * RDP of {@code steps} steps of the sampled Gaussian mechanism, per order of {@link #orders()}.
   *
   * @param sampleRate probability q that a unit takes part in a step, in [0, 1]
   * @param noiseMultiplier sigma: noise standard deviation over the clip norm, > 0
   * @param steps number of steps, >= 0
   */
  public static double[] rdp(double sampleRate, double noiseMultiplier, long steps) {
    if (!(sampleRate >= 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException("sample rate must be in [0, 1], was " + sampleRate);
    }
    if (!(noiseMultiplier > 0) || !Double.isFinite(noiseMultiplier)) {
      throw new IllegalArgumentException(
          "noise multiplier must be a positive finite number, was " + noiseMultiplier);
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, was " + steps);
    }
    double[] out = new double[ORDERS.length];
    if (sampleRate == 0 || steps == 0) {
      return out;
    }
    for (int i = 0; i < ORDERS.length; i++) {
      out[i] = steps * stepRdp(sampleRate, noiseMultiplier, (int) ORDERS[i]);
    }
    return out;
  }

  /** RDP of one step at integer order {@code alpha}. */
  static double stepRdp(double q, double sigma, int alpha) {
    if (q == 1) {
      return alpha / (2 * sigma * sigma); // the Gaussian mechanism itself
    }
    double logA = Double.NEGATIVE_INFINITY;
    double logQ = Math.log(q);
    double log1mQ = Math.log1p(-q);
    for (int k = 0; k <= alpha; k++) {
      double term =
          logBinomial(alpha, k)
              + k * logQ
              + (alpha - k) * log1mQ
              + ((double) k * k - k) / (2 * sigma * sigma);
      logA = logAdd(logA, term);
    }
    return Math.max(0, logA / (alpha - 1));
  }

  /** The sum of two RDP vectors (composition). */
  public static double[] compose(double[] a, double[] b) {
    check(a);
    check(b);
    double[] out = new double[ORDERS.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = a[i] + b[i];
    }
    return out;
  }

  /** The empty spend: zero at every order. */
  public static double[] zero() {
    return new double[ORDERS.length];
  }

  /**
   * The smallest epsilon such that an RDP vector implies (epsilon, delta)-DP.
   *
   * @param delta in (0, 1)
   */
  public static double epsilon(double[] rdp, double delta) {
    return best(rdp, delta)[0];
  }

  /** The order at which {@link #epsilon} is reached. */
  public static double optimalOrder(double[] rdp, double delta) {
    return best(rdp, delta)[1];
  }

  private static double[] best(double[] rdp, double delta) {
    check(rdp);
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1), was " + delta);
    }
    double eps = Double.POSITIVE_INFINITY;
    double order = ORDERS[0];
    for (int i = 0; i < ORDERS.length; i++) {
      double e = rdp[i] + Math.log(1 / delta) / (ORDERS[i] - 1);
      if (e < eps) {
        eps = e;
        order = ORDERS[i];
      }
    }
    return new double[] {eps, order};
  }

  private static void check(double[] rdp) {
    if (rdp == null || rdp.length != ORDERS.length) {
      throw new IllegalArgumentException(
          "an RDP vector has one value per order ("
              + ORDERS.length
              + "), was "
              + (rdp == null ? "null" : rdp.length + ": " + Arrays.toString(rdp)));
    }
  }

  private static double logBinomial(int n, int k) {
    return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  }

  private static double logFactorial(int n) {
    double s = 0;
    for (int i = 2; i <= n; i++) {
      s += Math.log(i);
    }
    return s;
  }

  private static double logAdd(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    double hi = Math.max(a, b);
    return hi + Math.log1p(Math.exp(-Math.abs(a - b)));
  }
}
