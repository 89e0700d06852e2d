package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DpSgdTest {
  private final MoeHeadConfig config =
      new MoeHeadConfig(8, 6, 2, 4, 3, List.of("x", "y", "z", "w"));

  @Test
  void shouldClipAGradientToTheClipNormAndLeaveASmallerOneAlone() {
    DpSgd dp = new DpSgd(0.1, 1.0, 2.0, new Random(1));

    assertThat(dp.clipFactor(8.0) * 8.0).isCloseTo(2.0, within(1e-6));
    assertThat(dp.clipFactor(1.5)).isEqualTo(1f);
    assertThat(dp.noiseStd(3.0)).isEqualTo(6.0);
    assertThat(dp.stepsPerEpoch()).isEqualTo(10);
    assertThat(new DpSgd(0.3, 1, 1, new Random(1)).stepsPerEpoch()).isEqualTo(4);
  }

  @Test
  void shouldMeasureTheNormOfTheMaskedGradientsOnly() {
    MoeHeadWeights weights = MoeHeadWeights.random(config, 5);
    MoeParameterMask mask = MoeParameterMask.builder(config).gateRow(1).outputRow(1, 2).build();
    MoeGradients all = new MoeGradients(config);
    float[] x = new float[config.hidden()];
    java.util.Arrays.fill(x, 0.5f);
    new MoeBackprop(weights).accumulate(x, 0, new int[] {1, 3}, 1f, all, null);

    double masked = all.maskedNormSquared(mask);

    float[] gate = all.gateRow(1);
    double expected = 0;
    for (float g : gate) {
      expected += g * (double) g;
    }
    int m = config.expertHidden();
    int l = config.labelCount();
    for (int i = 0; i < m; i++) {
      expected += Math.pow(all.w2[(1 * l + 2) * m + i], 2);
    }
    expected += Math.pow(all.b2[1 * l + 2], 2);
    assertThat(masked).isCloseTo(expected, within(1e-9));
    assertThat(all.maskedNormSquared(MoeParameterMask.all(config))).isGreaterThan(masked);
  }

  @Test
  void shouldAddNoiseOfStandardDeviationSigmaTimesClipToEveryMaskedParameterOnly() {
    MoeParameterMask mask =
        MoeParameterMask.builder(config).gateRow(2).firstLayer(2).outputRow(5, 1).build();
    MoeGradients grad = new MoeGradients(config);
    DpSgd dp = new DpSgd(0.1, 1.5, 0.8, new Random(42));
    List<Double> draws = new ArrayList<>();

    for (int round = 0; round < 200; round++) {
      grad.clear();
      grad.addGaussianNoise(mask, dp.noiseStd(1.0), dp.random());
      float[] gate = grad.gateRow(2);
      for (float v : gate) {
        draws.add((double) v);
      }
      int m = config.expertHidden();
      int h = config.hidden();
      for (int i = 2 * m * h; i < 3 * m * h; i++) {
        draws.add((double) grad.w1[i]);
      }
      assertThat(grad.gateRow(0)).containsOnly(0f);
      assertThat(grad.w1[0]).isZero();
      assertThat(grad.w2[(5 * config.labelCount() + 1) * m]).isNotZero();
      assertThat(grad.w2[(5 * config.labelCount() + 2) * m]).isZero();
    }

    double mean = draws.stream().mapToDouble(d -> d).average().orElseThrow();
    double var = draws.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / draws.size();
    // 200 * (9 + 32) = 8,200 draws: the sample standard deviation's own error is about 0.8 %
    assertThat(Math.sqrt(var)).isCloseTo(1.5 * 0.8, within(1.2 * 0.03));
    assertThat(mean).isCloseTo(0, within(0.05));
  }
}
