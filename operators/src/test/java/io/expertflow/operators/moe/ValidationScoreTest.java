package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationScoreTest {
  private static final MoeTrainingConfig.Selection LOSS = MoeTrainingConfig.Selection.LOSS;
  private static final MoeTrainingConfig.Selection ACCURACY = MoeTrainingConfig.Selection.ACCURACY;

  @Test
  void shouldScoreAHeadWithoutOutputWeightsAsUniform() {
    MoeHeadConfig head = new MoeHeadConfig(8, 4, 2, 4, 2, List.of("a", "b", "c", "d"));
    MoeHeadWeights weights = MoeHeadWeights.random(head, 3);
    Arrays.fill(weights.w2, 0f);
    Arrays.fill(weights.b2, 0f);
    Arrays.fill(weights.domainBias, 0f);
    List<LabeledEmbedding> samples = SyntheticClusters.generate(4, 2, 8, 5, 0.3, 2);

    ValidationScore score = ValidationScore.of(weights, samples);

    assertThat(score.loss()).isCloseTo(Math.log(4), within(1e-5));
    // Every probability ties, so the arg-max is label 0: right for exactly label 0's samples.
    long zeros = samples.stream().filter(s -> s.label() == 0).count();
    assertThat(score.accuracy()).isEqualTo((double) zeros / samples.size());
  }

  @Test
  void shouldCompareByTheChosenFigureOnly() {
    ValidationScore sharp = new ValidationScore(0.70, 0.9);
    ValidationScore accurate = new ValidationScore(0.75, 1.1);

    assertThat(sharp.betterThan(accurate, LOSS)).isTrue();
    assertThat(accurate.betterThan(sharp, LOSS)).isFalse();
    assertThat(accurate.betterThan(sharp, ACCURACY)).isTrue();
    assertThat(sharp.betterThan(sharp, LOSS)).as("a tie is not better").isFalse();
  }

  @Test
  void shouldTreatNoSamplesAsNeverBetterAndAlwaysBeaten() {
    ValidationScore some = new ValidationScore(0.1, 5.0);

    assertThat(ValidationScore.of(MoeHeadWeights.random(smallHead(), 1), List.of()))
        .isEqualTo(ValidationScore.NONE);
    assertThat(some.betterThan(ValidationScore.NONE, LOSS)).isTrue();
    assertThat(ValidationScore.NONE.betterThan(some, LOSS)).isFalse();
    assertThat(ValidationScore.NONE.betterThan(some, ACCURACY)).isFalse();
  }

  private static MoeHeadConfig smallHead() {
    return new MoeHeadConfig(8, 4, 2, 4, 2, List.of("a", "b"));
  }
}
