package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeGradients;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeParameterMask;
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
    MoeParameterMask mask = gateRowsOf(other);
    MoeGradients grad = new MoeGradients(HEAD);

    // not stealing yet, not pulled in yet: the attractor's hinge alone is active
    anchors.accumulate(mask, grad, 1, 1f, 1f, 0.1f, new Random(1));
    assertThat(grad.gateRow(other)[0]).as("pull: descending raises the score").isNegative();

    // now the other expert's gate row outscores the routed one on the anchor
    weights.tensors().get("gate.weight").data()[other * HEAD.hidden()] += 100f;
    grad.clear();
    anchors.accumulate(mask, grad, 1, 1f, 0f, 0.1f, new Random(1));
    assertThat(grad.gateRow(other)[0]).as("push: descending lowers the score").isPositive();
    assertThat(grad.gateRow(other)[HEAD.hidden()]).isPositive();
  }

  @Test
  void shouldAddNothingWhenTheRoutingTermIsOff() {
    RoutingAnchors anchors =
        new RoutingAnchors(weights, List.of(x), List.of(new LabeledEmbedding(x, 1)));
    MoeParameterMask mask = gateRowsOf(0, 1, 2, 3);
    MoeGradients grad = new MoeGradients(HEAD);

    anchors.accumulate(mask, grad, 8, 0f, 0f, 0.1f, new Random(1));

    for (int e = 0; e < HEAD.experts(); e++) {
      assertThat(grad.gateRow(e)).containsOnly(0f);
    }
  }

  private static MoeParameterMask gateRowsOf(int... experts) {
    MoeParameterMask.Builder mask = MoeParameterMask.builder(HEAD);
    for (int e : experts) {
      mask.gateRow(e).outputRow(e, 1);
    }
    return mask.build();
  }
}
