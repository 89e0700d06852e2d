package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LbfgsTest {
  @Test
  void shouldFindTheMinimumOfTheRosenbrockFunction() {
    Lbfgs.Function rosenbrock =
        (x, g) -> {
          double a = 1 - x[0];
          double b = x[1] - x[0] * x[0];
          g[0] = -2 * a - 400 * x[0] * b;
          g[1] = 200 * b;
          return a * a + 100 * b * b;
        };
    double[] x = {-1.2, 1};

    int iterations = Lbfgs.minimise(rosenbrock, x, 500);

    assertThat(x[0]).isCloseTo(1, within(1e-4));
    assertThat(x[1]).isCloseTo(1, within(1e-4));
    assertThat(iterations).isLessThan(500);
  }

  @Test
  void shouldSolveAnIllConditionedQuadraticInFewIterations() {
    double[] scale = new double[20];
    for (int i = 0; i < scale.length; i++) {
      scale[i] = Math.pow(10, 3.0 * i / (scale.length - 1));
    }
    Lbfgs.Function quadratic =
        (x, g) -> {
          double value = 0;
          for (int i = 0; i < x.length; i++) {
            double d = x[i] - 1;
            g[i] = scale[i] * d;
            value += 0.5 * scale[i] * d * d;
          }
          return value;
        };
    double[] x = new double[20];

    // gradient descent at its best fixed step would need about 10^3 ln 10^4, some 9,000
    Lbfgs.minimise(quadratic, x, 200);

    for (double v : x) {
      assertThat(v).isCloseTo(1, within(1e-4));
    }
  }
}
