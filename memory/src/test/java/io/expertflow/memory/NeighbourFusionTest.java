package io.expertflow.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NeighbourFusionTest {
  private static final List<String> LABELS = List.of("ham", "spam", "news");
  private static final float[] HEAD = {0.7f, 0.2f, 0.1f};

  private static Neighbour neighbour(String id, double similarity, String corrected) {
    return new Neighbour(id, similarity, Instant.EPOCH, "ham", corrected);
  }

  private static double sum(float[] p) {
    double s = 0;
    for (float x : p) {
      s += x;
    }
    return s;
  }

  @Test
  void shouldReturnTheHeadsProbabilitiesExactlyWithoutVotingNeighbours() {
    NeighbourFusion fusion = new NeighbourFusion(LABELS, FusionConfig.defaults());

    FusedPrediction none = fusion.fuse(HEAD, List.of());
    FusedPrediction uncorrected =
        fusion.fuse(HEAD, List.of(neighbour("a", 0.9, null), neighbour("b", 0.8, null)));
    FusedPrediction belowFloor = fusion.fuse(HEAD, List.of(neighbour("c", 0.2, "spam")));

    assertThat(none.probabilities()).containsExactly(HEAD);
    assertThat(none.voters()).isZero();
    assertThat(uncorrected.probabilities()).containsExactly(HEAD);
    assertThat(belowFloor.probabilities()).containsExactly(HEAD);
  }

  @Test
  void shouldFlipTheLabelWhenAStrongCorrectedNeighbourDisagrees() {
    NeighbourFusion fusion = new NeighbourFusion(LABELS, FusionConfig.defaults().withWeight(0.6));

    FusedPrediction fused =
        fusion.fuse(HEAD, List.of(neighbour("n1", 0.93, "spam"), neighbour("n2", 0.55, null)));

    assertThat(fused.argmax()).isEqualTo(LABELS.indexOf("spam"));
    assertThat(fused.voters()).isEqualTo(1);
    // 0.4 * head + 0.6 * (1 on spam)
    assertThat(fused.probabilities()[1]).isCloseTo(0.4f * 0.2f + 0.6f, within(1e-6f));
    assertThat(sum(fused.probabilities())).isCloseTo(1.0, within(1e-6));
  }

  @Test
  void shouldWeighCloserVotersMoreWithTheSoftmaxTemperature() {
    NeighbourFusion fusion =
        new NeighbourFusion(LABELS, FusionConfig.defaults().withWeight(1.0).withTemperature(0.1));

    float[] p =
        fusion
            .fuse(HEAD, List.of(neighbour("near", 0.9, "spam"), neighbour("far", 0.7, "news")))
            .probabilities();

    double near = Math.exp(0);
    double far = Math.exp((0.7 - 0.9) / 0.1);
    assertThat(p[1]).isCloseTo((float) (near / (near + far)), within(1e-6f));
    assertThat(p[2]).isCloseTo((float) (far / (near + far)), within(1e-6f));
    assertThat(p[0]).isZero();
  }

  @Test
  void shouldLetPredictedLabelsVoteOnlyWhenAskedAndNeverALabelTheHeadRetired() {
    NeighbourFusion fusion =
        new NeighbourFusion(
            LABELS, FusionConfig.defaults().withWeight(1.0).withPredictedLabelsVote(true));
    Neighbour retired = new Neighbour("r", 0.99, Instant.EPOCH, "retired", null);

    FusedPrediction fused = fusion.fuse(HEAD, List.of(neighbour("p", 0.8, null), retired));

    assertThat(fused.voters()).isEqualTo(1);
    assertThat(fused.probabilities()).containsExactly(1f, 0f, 0f);
    assertThat(fused.labels()).isEqualTo(LABELS);
    assertThat(
            new NeighbourFusion(LABELS, FusionConfig.defaults().withWeight(1.0))
                .fuse(HEAD, List.of(neighbour("p", 0.8, null)))
                .voters())
        .as("without predictedLabelsVote an uncorrected neighbour does not vote")
        .isZero();
  }

  @Test
  void shouldAnswerANewLabelThatACloseCorrectionIntroduced() {
    NeighbourFusion fusion = new NeighbourFusion(LABELS, FusionConfig.defaults());

    FusedPrediction fused =
        fusion.fuse(HEAD, List.of(neighbour("x", 0.99, "urgent"), neighbour("y", 0.6, "spam")));

    assertThat(fused.labels()).containsExactly("ham", "spam", "news", "urgent");
    assertThat(fused.label()).isEqualTo("urgent");
    assertThat(sum(fused.probabilities())).isCloseTo(1.0, within(1e-5));
    assertThat(fused.probabilities()[0]).isCloseTo(0.35f, within(1e-5f));
    assertThat(fused.voters()).isEqualTo(2);
  }

  @Test
  void shouldFlagTheNearestNeighbourAsNearDuplicateAtTheThreshold() {
    NeighbourFusion fusion = new NeighbourFusion(LABELS, FusionConfig.defaults());

    FusedPrediction duplicate =
        fusion.fuse(HEAD, List.of(neighbour("far", 0.6, null), neighbour("copy", 0.97, null)));
    FusedPrediction distinct = fusion.fuse(HEAD, List.of(neighbour("far", 0.94, null)));

    assertThat(duplicate.nearDuplicate()).map(Neighbour::requestId).contains("copy");
    assertThat(distinct.nearDuplicate()).isEmpty();
  }

  @Test
  void shouldValidateTheWeightsAndTheHeadsProbabilities() {
    assertThatThrownBy(() -> FusionConfig.defaults().withWeight(1.5))
        .hasMessageContaining("fusion weight must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> FusionConfig.defaults().withWeight(Double.NaN))
        .hasMessageContaining("fusion weight");
    assertThatThrownBy(() -> FusionConfig.defaults().withTemperature(0))
        .hasMessageContaining("temperature must be a finite number > 0");
    assertThatThrownBy(() -> FusionConfig.defaults().withSimilarityFloor(-2))
        .hasMessageContaining("similarity floor");
    assertThatThrownBy(() -> new NeighbourFusion(List.of("a", "a"), FusionConfig.defaults()))
        .hasMessageContaining("appears twice");
    NeighbourFusion fusion = new NeighbourFusion(LABELS, FusionConfig.defaults());
    assertThatThrownBy(() -> fusion.fuse(new float[] {1f}, List.of()))
        .hasMessageContaining("1 probabilities but the fusion has 3 labels");
    assertThatThrownBy(() -> fusion.fuse(new float[] {Float.NaN, 0f, 0f}, List.of()))
        .hasMessageContaining("'ham' is NaN");
  }
}
