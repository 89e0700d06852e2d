package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MoeBackpropTest {
  private static final float EPS = 1e-3f;

  private final MoeHeadConfig config = new MoeHeadConfig(5, 4, 2, 3, 2, List.of("x", "y", "z"));

  @Test
  void shouldMatchFiniteDifferencesForEveryParameter() {
    MoeHeadWeights weights = MoeHeadWeights.random(config, 3);
    Random random = new Random(9);
    for (float[] a : new float[][] {weights.gateB, weights.b2, weights.domainBias}) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) random.nextGaussian() * 0.5f;
      }
    }
    for (int i = 0; i < weights.domainScale.length; i++) {
      weights.domainScale[i] = 1f + (float) random.nextGaussian() * 0.3f;
    }
    float[] x = new float[config.hidden()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    int label = 1;
    MoeHeadReference head = new MoeHeadReference(weights);
    int[] chosen = head.select(head.gateLogits(x));
    MoeGradients grad = new MoeGradients(config);

    float loss = new MoeBackprop(weights).accumulate(x, label, chosen, grad, new int[1]);

    assertThat(loss).isCloseTo(loss(head, x, label), within(1e-5f));
    Map<String, float[]> analytic =
        Map.of(
            "gate.weight", grad.gateW,
            "gate.bias", grad.gateB,
            "experts.w1", grad.w1,
            "experts.b1", grad.b1,
            "experts.w2", grad.w2,
            "experts.b2", grad.b2,
            "domains.scale", grad.domainScale,
            "domains.bias", grad.domainBias);
    int checked = 0;
    for (Map.Entry<String, float[]> entry : analytic.entrySet()) {
      float[] param = weights.tensors().get(entry.getKey()).data();
      for (int i = 0; i < param.length; i++) {
        float saved = param[i];
        param[i] = saved + EPS;
        float up = loss(head, x, label);
        param[i] = saved - EPS;
        float down = loss(head, x, label);
        param[i] = saved;
        float numeric = (up - down) / (2 * EPS);
        assertThat(entry.getValue()[i])
            .as("%s[%d]", entry.getKey(), i)
            .isCloseTo(numeric, within(2e-3f + 0.02f * Math.abs(numeric)));
        checked++;
      }
    }
    assertThat(checked)
        .isEqualTo(
            weights.tensors().values().stream().mapToInt(t -> t.size()).sum() - config.experts());
  }

  @Test
  void shouldMarkOnlyTheChosenExpertsAndTheirDomainAsTouched() {
    MoeHeadWeights weights = MoeHeadWeights.random(config, 5);
    MoeGradients grad = new MoeGradients(config);
    float[] x = {0.1f, -0.4f, 0.3f, 0.8f, -0.2f};

    new MoeBackprop(weights).accumulate(x, 0, new int[] {3, 2}, grad, new int[1]);

    assertThat(grad.touchedExperts).containsExactly(false, false, true, true);
    assertThat(grad.touchedDomains).containsExactly(false, true);
    grad.clear();
    assertThat(grad.w1).containsOnly(0f);
    assertThat(grad.touchedExperts).containsOnly(false);
  }

  private static float loss(MoeHeadReference head, float[] x, int label) {
    return (float) -Math.log(head.forward(x).probabilities()[label]);
  }
}
