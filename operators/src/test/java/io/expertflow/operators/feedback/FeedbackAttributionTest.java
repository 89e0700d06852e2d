package io.expertflow.operators.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ResponseStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedbackAttributionTest {

  @Test
  void shouldEmitOneRecordPerExpertWithGateWeightEmbeddingAndLabels() {
    List<AttributedFeedback> out =
        FeedbackAttribution.attribute(
            FeedbackFixtures.feedback().setRating(null).setCorrectedLabel("spam").build(),
            FeedbackFixtures.response());

    assertThat(out)
        .extracting(AttributedFeedback::getExpert, AttributedFeedback::getGateWeight)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(17, 0.7f),
            org.assertj.core.groups.Tuple.tuple(3, 0.3f));
    assertThat(out)
        .allSatisfy(
            a -> {
              assertThat(a.getPredictedLabel()).isEqualTo("news");
              assertThat(a.getCorrectedLabel()).isEqualTo("spam");
              assertThat(a.getNegative()).isTrue();
              assertThat(a.getEmbedding()).containsExactly(0.6f, 0.8f);
              assertThat(a.getModelVersion()).isEqualTo("v1");
              assertThat(a.getDomainExpert()).isEqualTo(4);
            });
  }

  @Test
  void shouldCarryTheResponsesTfIdfEvidenceToEveryRecord() {
    List<Float> evidence = List.of(-0.1f, -7.5f, Float.NaN);
    List<AttributedFeedback> served =
        FeedbackAttribution.attribute(
            FeedbackFixtures.feedback().setRating(null).setCorrectedLabel("spam").build(),
            InferenceResponse.newBuilder(FeedbackFixtures.response())
                .setLexicalEvidence(evidence)
                .build());
    List<AttributedFeedback> headAlone =
        FeedbackAttribution.attribute(
            FeedbackFixtures.feedback().setRating(null).setCorrectedLabel("spam").build(),
            FeedbackFixtures.response());

    assertThat(served)
        .hasSize(2)
        .allSatisfy(
            a -> assertThat(a.getLexicalEvidence()).containsExactly(-0.1f, -7.5f, Float.NaN));
    assertThat(headAlone).allSatisfy(a -> assertThat(a.getLexicalEvidence()).isEmpty());
  }

  @Test
  void shouldCarryTheEncoderThatMadeTheEmbeddingToEveryRecord() {
    List<AttributedFeedback> named =
        FeedbackAttribution.attribute(
            FeedbackFixtures.feedback().build(),
            InferenceResponse.newBuilder(FeedbackFixtures.response())
                .setEncoderId("minilm-l6-v2-int8-static@a50277b1f78cd2ac")
                .build());

    assertThat(named)
        .hasSize(2)
        .allSatisfy(
            a ->
                assertThat(a.getEncoderId())
                    .isEqualTo("minilm-l6-v2-int8-static@a50277b1f78cd2ac"));
    assertThat(
            FeedbackAttribution.attribute(
                FeedbackFixtures.feedback().build(), FeedbackFixtures.response()))
        .allSatisfy(a -> assertThat(a.getEncoderId()).isNull());
  }

  @Test
  void shouldCarryWhoGaveTheFeedbackToEveryRecordForPrivacyAccounting() {
    List<AttributedFeedback> named =
        FeedbackAttribution.attribute(
            FeedbackFixtures.feedback().setSource("alice").build(), FeedbackFixtures.response());
    List<AttributedFeedback> anonymous =
        FeedbackAttribution.attribute(
            FeedbackFixtures.feedback().setSource(null).build(), FeedbackFixtures.response());

    assertThat(named).hasSize(2).allSatisfy(a -> assertThat(a.getSource()).isEqualTo("alice"));
    assertThat(anonymous).allSatisfy(a -> assertThat(a.getSource()).isNull());
  }

  @Test
  void shouldJudgeNegativityFromRatingAndCorrection() {
    assertThat(
            FeedbackAttribution.isNegative(
                FeedbackFixtures.feedback().setRating(-1).build(), "news"))
        .isTrue();
    assertThat(
            FeedbackAttribution.isNegative(
                FeedbackFixtures.feedback().setRating(0).build(), "news"))
        .isFalse();
    assertThat(
            FeedbackAttribution.isNegative(
                FeedbackFixtures.feedback().setRating(1).setCorrectedLabel("news").build(), "news"))
        .isFalse();
    assertThat(
            FeedbackAttribution.isNegative(
                FeedbackFixtures.feedback().setRating(1).setCorrectedLabel("spam").build(), "news"))
        .isTrue();
  }

  @Test
  void shouldRefuseResponsesWithoutLabels() {
    InferenceResponse failed =
        InferenceResponse.newBuilder(FeedbackFixtures.response())
            .setStatus(ResponseStatus.FAILED)
            .setLabels(List.of())
            .build();

    assertThat(FeedbackAttribution.problem(failed))
        .hasValueSatisfying(p -> assertThat(p).contains("status FAILED"));
    assertThatThrownBy(
            () -> FeedbackAttribution.attribute(FeedbackFixtures.feedback().build(), failed))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
