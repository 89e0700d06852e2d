package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoutingAnchorsTest {
  private static final MoeHeadConfig HEAD = new MoeHeadConfig(8, 4, 1, 4, 2, List.of("a", "b"));

  private final MoeHeadWeights weights = MoeHeadWeights.random(HEAD, 3);
  private final MoeHeadReference head = new MoeHeadReference(weights);
  private final float[] x = {1, 0, 0, 0, 0, 0, 0, 0};

  @Test
  void shouldPushAStealingGateRowDownAndPullAnAttractorIn() {
    int routed = head.select(head.gateLogits(x))[0];
    int other = (routed + 1) % HEAD.experts();
    RoutingAnchors anchors =
        new RoutingAnchors(weights, List.of(x), List.of(new LabeledEmbedding(x, 1)));
    ExpertSlot[] slots = {slot(other)};
    ExpertSlot[] grad = {slot(other)};

    // not stealing yet, not pulled in yet: the attractor's hinge alone is active
    anchors.accumulate(slots, grad, 1, 1f, 1f, 0.1f, new Random(1));
    assertThat(grad[0].gate[0]).as("pull: descending raises the score").isNegative();

    // now the other expert's gate row outscores the routed one on the anchor
    weights.tensors().get("gate.weight").data()[other * HEAD.hidden()] += 100f;
    grad[0].clear();
    anchors.accumulate(slots, grad, 1, 1f, 0f, 0.1f, new Random(1));
    assertThat(grad[0].gate[0]).as("push: descending lowers the score").isPositive();
    assertThat(grad[0].gate[HEAD.hidden()]).isPositive();
  }

  @Test
  void shouldAddNothingWhenTheRoutingTermIsOff() {
    RoutingAnchors anchors =
        new RoutingAnchors(weights, List.of(x), List.of(new LabeledEmbedding(x, 1)));
    ExpertSlot[] slots = {slot(0), slot(1), slot(2), slot(3)};
    ExpertSlot[] grad = {slot(0), slot(1), slot(2), slot(3)};

    anchors.accumulate(slots, grad, 8, 0f, 0f, 0.1f, new Random(1));

    for (ExpertSlot g : grad) {
      assertThat(g.gate).containsOnly(0f);
    }
  }

  private static ExpertSlot slot(int expert) {
    return new ExpertSlot(expert, new boolean[] {false, true}, HEAD, false, true);
  }
}
