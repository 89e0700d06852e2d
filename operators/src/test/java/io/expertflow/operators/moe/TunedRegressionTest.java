package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TunedRegressionTest {
  private static final int LABELS = 4;
  private static final int DIM = 16;
  // noisy clusters, so that the L2 strength matters on validation
  private final List<LabeledEmbedding> all = SyntheticClusters.generate(LABELS, 3, DIM, 50, 1.6, 3);
  private final List<LabeledEmbedding> train = all.subList(0, 360);
  private final List<LabeledEmbedding> validation = all.subList(360, 600);

  @Test
  void shouldComputeTheGradientOfTheObjective() {
    TunedRegression f = TunedRegression.objective(train, LABELS, DIM, 1e-2);
    Random random = new Random(1);
    double[] theta = new double[LABELS * DIM + LABELS];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = random.nextGaussian();
    }
    double[] gradient = new double[theta.length];
    f.valueAndGradient(theta, gradient);
    double[] scratch = new double[theta.length];
    double eps = 1e-6;
    for (int i = 0; i < theta.length; i += 7) {
      double saved = theta[i];
      theta[i] = saved + eps;
      double up = f.valueAndGradient(theta, scratch);
      theta[i] = saved - eps;
      double down = f.valueAndGradient(theta, scratch);
      theta[i] = saved;
      assertThat(gradient[i])
          .as("component %d", i)
          .isCloseTo((up - down) / (2 * eps), within(1e-6));
    }
  }

  @Test
  void shouldSolveEachStrengthToAStationaryPoint() {
    for (double l2 : new double[] {1e-2, 1e-4}) {
      LinearProbe probe = TunedRegression.fitAt(train, LABELS, DIM, l2);
      double[] theta = new double[LABELS * DIM + LABELS];
      float[] w = probe.weights();
      float[] b = probe.bias();
      for (int i = 0; i < w.length; i++) {
        theta[i] = w[i];
      }
      for (int l = 0; l < LABELS; l++) {
        theta[w.length + l] = b[l];
      }
      double[] gradient = new double[theta.length];
      TunedRegression.objective(train, LABELS, DIM, l2).valueAndGradient(theta, gradient);
      double largest = 0;
      for (double g : gradient) {
        largest = Math.max(largest, Math.abs(g));
      }
      // float weights round the solution; the gradient there is still near zero
      assertThat(largest).as("largest gradient component at l2 %s", l2).isLessThan(1e-4);
    }
  }

  @Test
  void shouldKeepTheStrengthWithTheLowestValidationLoss() {
    LinearProbe tuned = LinearProbe.tuned(train, validation, LABELS, DIM);
    double tunedLoss = TunedRegression.meanLoss(tuned, validation);

    assertThat(LinearProbe.tunedGrid()).contains(tuned.l2());
    double weakest = LinearProbe.tunedGrid()[LinearProbe.tunedGrid().length - 1];
    for (double l2 : new double[] {1e-2, 1e-3, 1e-4, weakest}) {
      double loss =
          TunedRegression.meanLoss(TunedRegression.fitAt(train, LABELS, DIM, l2), validation);
      // the path warm-starts each solve, so the same strength lands within rounding of a cold solve
      assertThat(tunedLoss).as("against l2 %s", l2).isLessThanOrEqualTo(loss + 1e-4);
    }
    assertThat(tuned.l2()).as("neither end of the grid on noisy clusters").isNotIn(1e-2, weakest);
  }

  @Test
  void shouldGiveTheSameRegressionEveryTimeAndRefuseNoSamples() {
    LinearProbe a = LinearProbe.tuned(train, validation, LABELS, DIM);
    LinearProbe b = LinearProbe.tuned(train, validation, LABELS, DIM);
    assertThat(a.weights()).isEqualTo(b.weights());
    assertThat(a.bias()).isEqualTo(b.bias());
    assertThat(LinearProbe.tuned(train, List.of(), LABELS, DIM).l2())
        .isEqualTo(TunedRegression.DEFAULT_L2);
    assertThatThrownBy(() -> LinearProbe.tuned(List.of(), validation, LABELS, DIM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no training samples");
    assertThatThrownBy(
            () ->
                LinearProbe.tuned(
                    List.of(new LabeledEmbedding(new float[3], 0)), validation, LABELS, DIM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 dimensions");
  }
}
