package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WeightDiffTest {
  private static final MoeHeadConfig HEAD = new MoeHeadConfig(8, 4, 2, 4, 2, List.of("x", "y"));

  @Test
  void shouldCountEveryScalarWhoseBitsDiffer() {
    MoeHeadWeights before = MoeHeadWeights.random(HEAD, 1);
    MoeHeadWeights after = before.copy();
    var tensors = after.expertTensors(2);
    tensors.get("expert.2.w2").data()[3] += 1f;
    float[] gate = tensors.get("expert.2.gate").data();
    // flipping only the sign bit of a zero bias: equal as numbers, different as bits
    gate[8] = Float.intBitsToFloat(Float.floatToRawIntBits(gate[8]) ^ 0x80000000);
    after.setExpertTensors(2, tensors);

    WeightDiff diff = WeightDiff.between(before, after, Set.of(2));

    assertThat(diff.parametersChanged()).isEqualTo(2);
    assertThat(diff.changedExperts()).containsExactly(2);
    assertThat(WeightDiff.identical(before, after, 1)).isTrue();
    assertThat(WeightDiff.identical(before, after, 2)).isFalse();
  }

  @Test
  void shouldRefuseAChangeToAnExpertThatWasNotChosen() {
    MoeHeadWeights before = MoeHeadWeights.random(HEAD, 1);
    MoeHeadWeights after = before.copy();
    var tensors = after.expertTensors(0);
    tensors.get("expert.0.b1").data()[0] += 0.5f;
    after.setExpertTensors(0, tensors);

    assertThatThrownBy(() -> WeightDiff.between(before, after, Set.of(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expert 0, which was not chosen");
  }

  @Test
  void shouldRefuseAChangeToASharedTensor() {
    MoeHeadWeights before = MoeHeadWeights.random(HEAD, 1);
    MoeHeadWeights after = before.copy();
    after.tensors().get("domains.bias").data()[1] = 3f;

    assertThatThrownBy(() -> WeightDiff.between(before, after, Set.of(0, 1, 2, 3)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("domains.bias");
  }
}
