package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteBalancerTest {
  private static final List<String> LABELS = List.of("a", "b", "c", "d");
  private final MoeHeadConfig head = new MoeHeadConfig(16, 16, 2, 8, 4, LABELS);
  private final List<LabeledEmbedding> documents =
      SyntheticClusters.generate(4, 3, 16, 20, 0.35, 5);

  @Test
  void shouldGiveAnExpertNoDocumentChoosesTheOneItIsClosestToWinning() {
    MoeHeadWeights weights = MoeHeadWeights.random(head, 9);
    weights.routeBias[3] = -50; // expert 3 loses every document
    weights.routeBias[11] = -50;
    MoeHeadWeights before = weights.copy();
    assertThat(ExpertLoad.measure(before, documents).deadExperts()).isEqualTo(2);

    List<Integer> revived = RouteBalancer.revive(weights, documents);

    assertThat(revived).containsExactlyInAnyOrder(3, 11);
    assertThat(ExpertLoad.measure(weights, documents).deadExperts()).isZero();
    // only the revived experts' biases moved, and each took one document from another expert
    for (int e = 0; e < head.experts(); e++) {
      if (!revived.contains(e)) {
        assertThat(weights.routeBias[e]).isEqualTo(before.routeBias[e]);
      }
    }
    MoeHeadReference was = new MoeHeadReference(before);
    MoeHeadReference now = new MoeHeadReference(weights);
    long moved =
        documents.stream()
            .filter(
                d ->
                    !Arrays.equals(
                        was.forward(d.embedding()).experts(), now.forward(d.embedding()).experts()))
            .count();
    assertThat(moved).isEqualTo(2);
  }

  @Test
  void shouldLeaveAHeadWhoseExpertsAllServeADocumentAsItIs() {
    MoeHeadWeights weights = MoeHeadWeights.random(head, 9);
    new RouteBalancer(MoeTrainingConfig.defaults()).settle(weights, documents);
    assertThat(ExpertLoad.measure(weights, documents).deadExperts()).isZero();
    float[] bias = weights.routeBias.clone();

    assertThat(RouteBalancer.revive(weights, documents)).isEmpty();
    assertThat(weights.routeBias).containsExactly(bias);
  }
}
