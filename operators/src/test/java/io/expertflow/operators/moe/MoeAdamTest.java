package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MoeAdamTest {
  private final MoeHeadConfig config = new MoeHeadConfig(5, 4, 2, 3, 2, List.of("x", "y", "z"));
  private final float[] x = {0.1f, -0.4f, 0.3f, 0.8f, -0.2f};

  @Test
  void shouldChangeOnlyTheParametersTheMaskAllows() {
    MoeHeadWeights weights = MoeHeadWeights.random(config, 5);
    MoeHeadWeights before = weights.copy();
    int[] chosen = {3, 2};
    MoeParameterMask mask = MoeParameterMask.builder(config).outputRow(3, 1).gateRow(3).build();
    MoeBackprop backprop = new MoeBackprop(weights, mask);
    MoeGradients grad = new MoeGradients(config);
    MoeAdam adam = MoeAdam.masked(weights, mask, 0.01, 0);

    for (int step = 0; step < 3; step++) {
      grad.clear();
      backprop.accumulate(x, 0, chosen, 1f, grad, null);
      adam.step(grad);
    }

    int h = config.hidden();
    int m = config.expertHidden();
    int l = config.labelCount();
    int moved = 0;
    for (Map.Entry<String, MoeHeadWeights.Tensor> e : weights.tensors().entrySet()) {
      float[] now = e.getValue().data();
      float[] was = before.tensors().get(e.getKey()).data();
      for (int i = 0; i < now.length; i++) {
        boolean allowed =
            switch (e.getKey()) {
              case "gate.weight" -> i / h == 3;
              case "gate.bias" -> i == 3;
              case "experts.w2" -> i / m == 3 * l + 1;
              case "experts.b2" -> i == 3 * l + 1;
              default -> false;
            };
        if (allowed) {
          moved += now[i] != was[i] ? 1 : 0;
        } else {
          assertThat(now[i]).as("%s[%d] is outside the mask", e.getKey(), i).isEqualTo(was[i]);
        }
      }
    }
    assertThat(moved).as("allowed parameters that moved").isGreaterThan(h);
  }

  @Test
  void shouldStepOnlyTouchedExpertsWhenLazy() {
    MoeHeadWeights weights = MoeHeadWeights.random(config, 7);
    MoeHeadWeights before = weights.copy();
    MoeGradients grad = new MoeGradients(config);

    new MoeBackprop(weights).accumulate(x, 1, new int[] {0, 1}, grad, new int[1]);
    MoeAdam.lazy(weights, 0.01, 0.01).step(grad);

    assertThat(weights.expertTensors(0).get("expert.0.w2").data())
        .isNotEqualTo(before.expertTensors(0).get("expert.0.w2").data());
    for (int e = 2; e < config.experts(); e++) {
      assertThat(weights.expertTensors(e).get("expert." + e + ".w1").data())
          .as("expert %d was not routed", e)
          .isEqualTo(before.expertTensors(e).get("expert." + e + ".w1").data());
    }
  }
}
