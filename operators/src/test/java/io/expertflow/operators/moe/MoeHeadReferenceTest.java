package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MoeHeadReferenceTest {
  private final MoeHeadConfig config = new MoeHeadConfig(8, 8, 2, 4, 4, List.of("a", "b", "c"));

  @Test
  void shouldProduceAProbabilityDistributionAndTopKExperts() {
    MoeHeadReference head = new MoeHeadReference(MoeHeadWeights.random(config, 7));
    MoeOutput out = head.forward(randomVector(new Random(1), 8));

    float sum = 0;
    for (float p : out.probabilities()) {
      sum += p;
    }
    assertThat(sum).isCloseTo(1f, within(1e-5f));
    assertThat(out.experts()).hasSize(2).doesNotHaveDuplicates();
    assertThat(out.gates()[0] + out.gates()[1]).isCloseTo(1f, within(1e-6f));
    assertThat(out.gates()[0]).isGreaterThanOrEqualTo(out.gates()[1]);
  }

  @Test
  void shouldLetTheRoutingBiasChangeSelectionButNotGateWeights() {
    MoeHeadWeights weights = MoeHeadWeights.random(config, 3);
    MoeHeadReference head = new MoeHeadReference(weights);
    float[] x = randomVector(new Random(5), 8);
    int[] before = head.forward(x).experts();
    int outsider = 0;
    while (outsider == before[0] || outsider == before[1]) {
      outsider++;
    }
    weights.routeBias[outsider] = 1000f;

    MoeOutput after = head.forward(x);

    assertThat(after.experts()[0]).isEqualTo(outsider);
    float[] g = head.gateLogits(x);
    float[] expected = MoeHeadReference.softmax(new float[] {g[outsider], g[after.experts()[1]]});
    assertThat(after.gates()).containsExactly(expected, within(1e-6f));
  }

  @Test
  void shouldRoundTripOneExpertsTensorsWithoutTouchingOthers() {
    MoeHeadWeights weights = MoeHeadWeights.random(config, 11);
    MoeHeadWeights original = weights.copy();
    Map<String, MoeHeadWeights.Tensor> t = weights.expertTensors(3);
    t.get("expert.3.gate").data()[0] = 42f;
    t.get("expert.3.w2").data()[1] = -1f;

    weights.setExpertTensors(3, t);

    assertThat(weights.expertTensors(3).get("expert.3.gate").data()[0]).isEqualTo(42f);
    for (int e = 0; e < config.experts(); e++) {
      if (e == 3) {
        continue;
      }
      for (var entry : weights.expertTensors(e).entrySet()) {
        assertThat(entry.getValue().data())
            .isEqualTo(original.expertTensors(e).get(entry.getKey()).data());
      }
    }
  }

  @Test
  void shouldRejectAConfigWhoseDomainsDoNotDivideTheExperts() {
    assertThatThrownBy(() -> new MoeHeadConfig(8, 10, 2, 4, 4, List.of("a", "b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("divide experts=10");
  }

  private static float[] randomVector(Random random, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }
}
