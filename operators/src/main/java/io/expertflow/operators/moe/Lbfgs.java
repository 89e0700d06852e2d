package io.expertflow.operators.moe;

/**
 * Limited-memory BFGS for smooth unconstrained minimisation (Nocedal and Wright, Numerical
 * Optimization, algorithm 7.5), with a backtracking line search on the Armijo condition. Meant for
 * the small convex problems of this package, such as the {@link LinearProbe}'s regression.
 */
final class Lbfgs {
  /** A function to minimise. */
  interface Function {
    /** Writes the gradient at {@code x} into {@code gradient} and returns the value there. */
    double valueAndGradient(double[] x, double[] gradient);
  }

  private static final int MEMORY = 10;
  private static final double ARMIJO = 1e-4;
  private static final double GRADIENT_TOLERANCE = 1e-6;
  private static final double RELATIVE_TOLERANCE = 1e-10;

  private Lbfgs() {}

  /**
   * Minimises {@code f} from {@code x}, in place, for at most {@code maxIterations} iterations;
   * stops earlier once the largest gradient component falls below 1e-6 or an iteration lowers the
   * value by less than 1e-10 of it. Returns the iterations taken.
   */
  static int minimise(Function f, double[] x, int maxIterations) {
    int n = x.length;
    double[][] s = new double[MEMORY][n];
    double[][] y = new double[MEMORY][n];
    double[] rho = new double[MEMORY];
    double[] alpha = new double[MEMORY];
    double[] g = new double[n];
    double[] nextG = new double[n];
    double[] nextX = new double[n];
    double[] d = new double[n];
    double value = f.valueAndGradient(x, g);
    int stored = 0;
    int newest = -1;
    for (int iteration = 0; iteration < maxIterations; iteration++) {
      if (maxAbs(g) < GRADIENT_TOLERANCE) {
        return iteration;
      }
      // two-loop recursion: d = -H g
      for (int i = 0; i < n; i++) {
        d[i] = -g[i];
      }
      for (int k = 0; k < stored; k++) {
        int j = Math.floorMod(newest - k, MEMORY);
        alpha[j] = rho[j] * dot(s[j], d);
        axpy(-alpha[j], y[j], d);
      }
      double gamma =
          stored == 0
              ? 1 / Math.max(1e-12, Math.sqrt(dot(g, g)))
              : 1 / (rho[newest] * dot(y[newest], y[newest]));
      for (int i = 0; i < n; i++) {
        d[i] *= gamma;
      }
      for (int k = stored - 1; k >= 0; k--) {
        int j = Math.floorMod(newest - k, MEMORY);
        double beta = rho[j] * dot(y[j], d);
        axpy(alpha[j] - beta, s[j], d);
      }
      double slope = dot(g, d);
      if (slope >= 0) {
        // not a descent direction (rounding): restart from steepest descent
        stored = 0;
        for (int i = 0; i < n; i++) {
          d[i] = -g[i] / Math.max(1e-12, Math.sqrt(dot(g, g)));
        }
        slope = dot(g, d);
      }
      double step = 1;
      double nextValue;
      int halvings = 0;
      while (true) {
        for (int i = 0; i < n; i++) {
          nextX[i] = x[i] + step * d[i];
        }
        nextValue = f.valueAndGradient(nextX, nextG);
        if (nextValue <= value + ARMIJO * step * slope || halvings == 40) {
          break;
        }
        step *= 0.5;
        halvings++;
      }
      if (!(nextValue <= value)) {
        return iteration;
      }
      newest = (newest + 1) % MEMORY;
      double sy = 0;
      for (int i = 0; i < n; i++) {
        s[newest][i] = nextX[i] - x[i];
        y[newest][i] = nextG[i] - g[i];
        sy += s[newest][i] * y[newest][i];
      }
      boolean converged = value - nextValue <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(value));
      System.arraycopy(nextX, 0, x, 0, n);
      System.arraycopy(nextG, 0, g, 0, n);
      value = nextValue;
      if (sy > 1e-12) {
        rho[newest] = 1 / sy;
        stored = Math.min(MEMORY, stored + 1);
      } else {
        // no curvature seen along this step: forget the history rather than divide by ~0
        stored = 0;
        newest = -1;
      }
      if (converged) {
        return iteration + 1;
      }
    }
    return maxIterations;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static double maxAbs(double[] a) {
    double max = 0;
    for (double v : a) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }
}
