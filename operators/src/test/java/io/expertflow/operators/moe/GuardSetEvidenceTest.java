package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A guard set that carries the evidence a bundle serves beside its head judges what workers answer:
 * evidence that outweighs the head changes the verdict, labels added after it compete on the head
 * alone, and the evidence survives the file.
 */
class GuardSetEvidenceTest {
  private static final List<String> LABELS = List.of("a", "b");

  @Test
  void shouldAddTheEvidenceToTheHeadsLogProbabilitiesAndGiveAddedLabelsItsBest() {
    double[] e = LabelEvidence.weighted(new double[] {0.8, 0.2}, 0.5);

    double[] z = LabelEvidence.scores(new float[] {0.2f, 0.7f, 0.1f}, e);

    assertThat(e[0]).isCloseTo(0.5 * Math.log(0.8), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(z[0]).isCloseTo(Math.log(0.2f) + e[0], org.assertj.core.data.Offset.offset(1e-12));
    assertThat(z[1]).isCloseTo(Math.log(0.7f) + e[1], org.assertj.core.data.Offset.offset(1e-12));
    // the third label came after the evidence: it gets the evidence of the covered labels' answer,
    // b (not a's, the larger), so it could take b's place only if the head preferred it to b
    assertThat(LabelEvidence.argmax(z)).isEqualTo(1);
    assertThat(z[2]).isCloseTo(Math.log(0.1f) + e[1], org.assertj.core.data.Offset.offset(1e-12));
    // NaN marks an uncovered label too
    double[] nan =
        LabelEvidence.scores(new float[] {0.2f, 0.7f, 0.1f}, new double[] {e[0], e[1], Double.NaN});
    assertThat(nan).containsExactly(z);
    assertThat(LabelEvidence.scores(new float[] {0.3f, 0.7f}, new double[0]))
        .containsExactly(Math.log(0.3f), Math.log(0.7f));
    assertThatThrownBy(() -> LabelEvidence.scores(new float[] {1f}, e))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldScoreAHeadWithFewerLabelsThanTheSetOnItsOwnLabels() {
    // a shift pool over a, b and c (c unknown to the words), judged before and after c is added
    List<String> three = List.of("a", "b", "c");
    MoeHeadWeights before = MoeHeadWeights.random(new MoeHeadConfig(4, 4, 2, 3, 2, LABELS), 3);
    MoeHeadWeights after = MoeHeadWeights.random(new MoeHeadConfig(4, 4, 2, 3, 2, three), 3);
    float[] x = {1, 0, 0, 0};
    GuardSet pool =
        new GuardSet(three, 4, List.of(new LabeledEmbedding(x, 2)))
            .withEvidence(List.of(new double[] {0, 0, Double.NaN}));

    float[] p = new MoeHeadReference(after).forward(x).probabilities();
    int served = LabelEvidence.argmax(pool.scores(0, p));

    // the head without c cannot answer it, and its evidence beyond its labels is dropped
    assertThat(pool.scores(0, new MoeHeadReference(before).forward(x).probabilities())).hasSize(2);
    assertThat(pool.accuracy(before)).isZero();
    // with equal evidence for a and b, c competes on the head alone
    assertThat(served).isEqualTo(new MoeHeadReference(after).forward(x).argmax());
    assertThat(pool.accuracy(after)).isEqualTo(served == 2 ? 1.0 : 0.0);
  }

  @Test
  void shouldGiveTheMeanLogProbabilityOfTheLabelsAsServed() {
    MoeHeadWeights weights = MoeHeadWeights.random(new MoeHeadConfig(4, 4, 2, 3, 2, LABELS), 3);
    MoeHeadReference head = new MoeHeadReference(weights);
    float[] x = {1, -1, 0.5f, 0};
    float[] y = {-0.5f, 0, 1, 2};
    List<LabeledEmbedding> samples =
        List.of(new LabeledEmbedding(x, 0), new LabeledEmbedding(y, 1));
    GuardSet alone = new GuardSet(LABELS, 4, samples);
    float[] px = head.forward(x).probabilities();
    float[] py = head.forward(y).probabilities();
    double[] ex = {-1, -3};
    double[] ey = {-0.5, -2};
    GuardSet served = alone.withEvidence(List.of(ex, ey));

    // the head alone: the mean log of each label's probability
    assertThat(alone.meanLogProbability(weights))
        .isCloseTo(
            (Math.log(px[0]) + Math.log(py[1])) / 2, org.assertj.core.data.Offset.offset(1e-6));
    // served: the softmax of the head's log-probabilities plus the evidence, at each label
    double zx0 = Math.log(px[0]) + ex[0];
    double zx1 = Math.log(px[1]) + ex[1];
    double zy0 = Math.log(py[0]) + ey[0];
    double zy1 = Math.log(py[1]) + ey[1];
    double expected =
        (zx0
                - Math.log(Math.exp(zx0) + Math.exp(zx1))
                + zy1
                - Math.log(Math.exp(zy0) + Math.exp(zy1)))
            / 2;
    assertThat(served.meanLogProbability(weights))
        .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
    // a sample whose label the head lacks counts as the floor
    MoeHeadWeights two = MoeHeadWeights.random(new MoeHeadConfig(4, 4, 2, 3, 2, LABELS), 4);
    GuardSet third = new GuardSet(List.of("a", "b", "c"), 4, List.of(new LabeledEmbedding(x, 2)));
    assertThat(third.meanLogProbability(two)).isEqualTo(Math.log(LabelEvidence.FLOOR));
    assertThat(new GuardSet(LABELS, 4, List.of()).meanLogProbability(weights)).isZero();
  }

  @Test
  void shouldCountTheDocumentsAChangeTookByTheirLabelAsServed() {
    MoeHeadWeights weights = MoeHeadWeights.random(new MoeHeadConfig(4, 4, 2, 3, 2, LABELS), 3);
    MoeHeadReference head = new MoeHeadReference(weights);
    Random random = new Random(11);
    List<LabeledEmbedding> samples = new java.util.ArrayList<>();
    int rightA = 0;
    for (int i = 0; i < 30; i++) {
      float[] x = new float[4];
      for (int j = 0; j < 4; j++) {
        x[j] = (float) random.nextGaussian();
      }
      int answer = head.forward(x).argmax();
      // every third sample is labelled against the head's answer: wrong before, never taken
      int label = i % 3 == 0 ? 1 - answer : answer;
      rightA += label == 0 && label == answer ? 1 : 0;
      samples.add(new LabeledEmbedding(x, label));
    }
    GuardSet alone = new GuardSet(LABELS, 4, samples);
    // a change that answers b for everything: b's bias 40 logits up in every expert
    MoeHeadWeights allB = weights.copy();
    for (int e = 0; e < allB.config().experts(); e++) {
      allB.b2[e * LABELS.size() + 1] += 40;
    }

    assertThat(rightA).isPositive();
    assertThat(alone.taken(weights, allB)).containsExactly(java.util.Map.entry("a", rightA));
    assertThat(alone.taken(weights, weights)).isEmpty();
    // the other way round it takes the b samples the head answers a, and nothing from a
    long wrongB =
        samples.stream()
            .filter(t -> t.label() == 1 && head.forward(t.embedding()).argmax() == 0)
            .count();
    assertThat(wrongB).isPositive();
    assertThat(alone.taken(allB, weights)).containsExactly(java.util.Map.entry("b", (int) wrongB));

    // served: a sample the head answers b and its evidence rescues as a counts as taken when the
    // change outweighs the evidence, and not on the head alone, where it was wrong already
    float[] x =
        samples.stream()
            .filter(t -> head.forward(t.embedding()).argmax() == 1)
            .findFirst()
            .orElseThrow()
            .embedding();
    GuardSet rescued =
        new GuardSet(LABELS, 4, List.of(new LabeledEmbedding(x, 0)))
            .withEvidence(List.of(new double[] {0, -20}));
    assertThat(rescued.accuracy(weights)).isEqualTo(1.0);
    assertThat(rescued.taken(weights, allB)).containsExactly(java.util.Map.entry("a", 1));
    assertThat(new GuardSet(LABELS, 4, List.of(new LabeledEmbedding(x, 0))).taken(weights, allB))
        .isEmpty();
  }

  @Test
  void shouldJudgeTheServedAnswerWhenItCarriesEvidence() throws IOException {
    MoeHeadWeights weights = MoeHeadWeights.random(new MoeHeadConfig(4, 4, 2, 3, 2, LABELS), 3);
    MoeHeadReference head = new MoeHeadReference(weights);
    Random random = new Random(5);
    List<LabeledEmbedding> samples = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      float[] x = new float[4];
      for (int j = 0; j < 4; j++) {
        x[j] = (float) random.nextGaussian();
      }
      samples.add(new LabeledEmbedding(x, head.forward(x).argmax() == 0 ? 1 : 0));
    }
    GuardSet alone = new GuardSet(LABELS, 4, samples);
    // evidence for every sample's own label, 20 logits strong: it outweighs the head
    List<double[]> evidence =
        samples.stream()
            .map(s -> s.label() == 0 ? new double[] {0, -20} : new double[] {-20, 0})
            .toList();
    GuardSet withEvidence = alone.withEvidence(evidence);

    // every sample's label is the one the head does not answer
    assertThat(alone.accuracy(weights)).isZero();
    assertThat(withEvidence.accuracy(weights)).isEqualTo(1.0);
    assertThat(withEvidence.hasEvidence()).isTrue();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    withEvidence.writeTo(bytes);
    GuardSet read = GuardSet.readFrom(new ByteArrayInputStream(bytes.toByteArray()));
    assertThat(read.evidence()).hasSize(20);
    assertThat(read.evidence().get(3)).containsExactly(evidence.get(3));
    assertThat(read.accuracy(weights)).isEqualTo(1.0);

    // a file without the block, as written before it existed, reads as the head alone
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    alone.writeTo(plain);
    assertThat(GuardSet.readFrom(new ByteArrayInputStream(plain.toByteArray())).hasEvidence())
        .isFalse();
    // a damaged block is refused, not read as something else
    byte[] damaged = Arrays.copyOf(bytes.toByteArray(), bytes.size() - 4);
    assertThatThrownBy(() -> GuardSet.readFrom(new ByteArrayInputStream(damaged)))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> alone.withEvidence(evidence.subList(0, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("evidence for 3 of 20 guard samples");
  }
}
