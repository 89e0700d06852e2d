package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GuardPruningTest {
  private static final MoeHeadConfig HEAD = new MoeHeadConfig(8, 8, 2, 4, 2, List.of("x", "y"));
  private final MoeHeadWeights serving = MoeHeadWeights.random(HEAD, 3);

  /** Guard loses 10 points per changed expert in {@code harmful}; holdout gains per change. */
  private Function<MoeHeadWeights, Evaluation> judge(Set<Integer> harmful) {
    return w -> {
      double guard = 0.8;
      double holdout = 0.0;
      for (int e = 0; e < HEAD.experts(); e++) {
        if (!WeightDiff.identical(serving, w, e)) {
          holdout += 0.1;
          guard -= harmful.contains(e) ? 0.1 : 0.0;
        }
      }
      return new Evaluation(holdout, guard, 1.0);
    };
  }

  private MoeHeadWeights changed(int... experts) {
    MoeHeadWeights candidate = serving.copy();
    for (int e : experts) {
      var tensors = candidate.expertTensors(e);
      tensors.get("expert." + e + ".b2").data()[0] += 1f;
      candidate.setExpertTensors(e, tensors);
    }
    return candidate;
  }

  @Test
  void shouldRevertOnlyTheExpertsThatCostTheGuardSet() {
    MoeHeadWeights candidate = changed(1, 3, 5);

    List<Integer> reverted =
        GuardPruning.prune(serving, candidate, Set.of(1, 3, 5), 0.8 - 0.005, judge(Set.of(3)));

    assertThat(reverted).containsExactly(3);
    assertThat(WeightDiff.identical(serving, candidate, 3)).isTrue();
    assertThat(WeightDiff.identical(serving, candidate, 1)).isFalse();
    assertThat(WeightDiff.identical(serving, candidate, 5)).isFalse();
  }

  @Test
  void shouldLeaveACandidateWithinTheGuardBoundAlone() {
    MoeHeadWeights candidate = changed(1, 3);

    List<Integer> reverted =
        GuardPruning.prune(serving, candidate, Set.of(1, 3), 0.8 - 0.005, judge(Set.of()));

    assertThat(reverted).isEmpty();
    assertThat(WeightDiff.identical(serving, candidate, 1)).isFalse();
    assertThat(WeightDiff.identical(serving, candidate, 3)).isFalse();
  }

  @Test
  void shouldRevertEveryExpertWhenAllOfThemCostTheGuardSet() {
    MoeHeadWeights candidate = changed(2, 4);

    List<Integer> reverted =
        GuardPruning.prune(serving, candidate, Set.of(2, 4), 0.8 - 0.005, judge(Set.of(2, 4)));

    assertThat(reverted).containsExactlyInAnyOrder(2, 4);
    assertThat(WeightDiff.identical(serving, candidate, 2)).isTrue();
    assertThat(WeightDiff.identical(serving, candidate, 4)).isTrue();
  }
}
