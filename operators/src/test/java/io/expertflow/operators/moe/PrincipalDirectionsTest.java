package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrincipalDirectionsTest {
  @Test
  void shouldFindTheAxesOfLargestVarianceInOrder() {
    // variance 9 along a rotated axis a, 4 along b, 1 elsewhere, around a mean of (2, 2, ...)
    int dim = 12;
    double[] a = new double[dim];
    double[] b = new double[dim];
    a[0] = Math.sqrt(0.5);
    a[1] = Math.sqrt(0.5);
    b[0] = Math.sqrt(0.5);
    b[1] = -Math.sqrt(0.5);
    Random random = new Random(3);
    List<LabeledEmbedding> samples = new ArrayList<>();
    for (int n = 0; n < 4000; n++) {
      double ga = 3 * random.nextGaussian();
      double gb = 2 * random.nextGaussian();
      float[] x = new float[dim];
      for (int i = 0; i < dim; i++) {
        double rest = i < 2 ? 0 : random.nextGaussian();
        x[i] = (float) (2 + ga * a[i] + gb * b[i] + rest);
      }
      samples.add(new LabeledEmbedding(x, 0));
    }

    PrincipalDirections p = PrincipalDirections.of(samples, dim, 2, 7);

    assertThat(Math.abs(dot(p.directions()[0], a))).isGreaterThan(0.99);
    assertThat(Math.abs(dot(p.directions()[1], b))).isGreaterThan(0.99);
    assertThat(p.deviations()[0]).isCloseTo(3, within(0.15));
    assertThat(p.deviations()[1]).isCloseTo(2, within(0.1));
    assertThat(p.mean()[5]).isCloseTo(2f, within(0.1f));
    assertThat(dot(p.directions()[0], p.directions()[0])).isCloseTo(1, within(1e-5));
    assertThat(dot(p.directions()[0], p.directions()[1])).isCloseTo(0, within(1e-5));
  }

  @Test
  void shouldRefuseWhatItCannotCompute() {
    assertThatThrownBy(() -> PrincipalDirections.of(List.of(), 4, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need samples");
    assertThatThrownBy(
            () -> PrincipalDirections.of(List.of(new LabeledEmbedding(new float[4], 0)), 4, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k >= 1");
  }

  @Test
  void shouldGiveNoMoreDirectionsThanTheSamplesSpan() {
    // 4 samples in 8 dimensions span 3 directions, all inside the first 3 axes
    Random random = new Random(5);
    List<LabeledEmbedding> samples = new ArrayList<>();
    for (int n = 0; n < 4; n++) {
      float[] x = new float[8];
      for (int i = 0; i < 3; i++) {
        x[i] = (float) random.nextGaussian();
      }
      samples.add(new LabeledEmbedding(x, 0));
    }

    PrincipalDirections p = PrincipalDirections.of(samples, 8, 6, 1);

    assertThat(p.directions().length).isBetween(1, 3).isEqualTo(p.deviations().length);
    for (int j = 0; j < p.directions().length; j++) {
      assertThat(p.deviations()[j])
          .isGreaterThan(PrincipalDirections.MIN_RELATIVE_DEVIATION * p.deviations()[0]);
      for (int i = 3; i < 8; i++) {
        assertThat(p.directions()[j][i]).isCloseTo(0f, within(1e-4f));
      }
    }
    // more directions than dimensions: at most the dimensions; identical samples: none
    assertThat(PrincipalDirections.of(many(40, 4), 4, 9, 1).directions().length).isEqualTo(4);
    assertThat(
            PrincipalDirections.of(
                    List.of(
                        new LabeledEmbedding(new float[] {1, 2}, 0),
                        new LabeledEmbedding(new float[] {1, 2}, 1)),
                    2,
                    2,
                    1)
                .directions())
        .isEmpty();
  }

  /** {@code n} random samples of dimension {@code dim}. */
  private static List<LabeledEmbedding> many(int n, int dim) {
    Random random = new Random(9);
    List<LabeledEmbedding> samples = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      float[] x = new float[dim];
      for (int i = 0; i < dim; i++) {
        x[i] = (float) random.nextGaussian();
      }
      samples.add(new LabeledEmbedding(x, 0));
    }
    return samples;
  }

  private static double dot(float[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  private static double dot(float[] x, float[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }
}
