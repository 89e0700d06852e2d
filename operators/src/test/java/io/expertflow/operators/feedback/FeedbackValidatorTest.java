package io.expertflow.operators.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FeedbackValidatorTest {
  private final FeedbackValidator validator = new FeedbackValidator(10);

  @Test
  void shouldAcceptARatingOrACorrectedLabel() {
    assertThat(validator.problem(FeedbackFixtures.feedback().build())).isEmpty();
    assertThat(
            validator.problem(
                FeedbackFixtures.feedback().setRating(null).setCorrectedLabel("spam").build()))
        .isEmpty();
  }

  @Test
  void shouldRejectFeedbackWithNeitherRatingNorLabel() {
    assertThat(validator.problem(FeedbackFixtures.feedback().setRating(null).build()))
        .hasValueSatisfying(p -> assertThat(p).contains("neither rating nor corrected_label"));
  }

  @Test
  void shouldRejectARatingOutsideMinusOneToOne() {
    assertThat(validator.problem(FeedbackFixtures.feedback().setRating(5).build()))
        .hasValueSatisfying(p -> assertThat(p).contains("rating is 5"));
  }

  @Test
  void shouldRejectBlankIdsLongLabelsAndMissingEventTime() {
    assertThat(validator.problem(FeedbackFixtures.feedback().setRequestId(" ").build()))
        .hasValueSatisfying(p -> assertThat(p).contains("request_id is empty"));
    assertThat(validator.problem(FeedbackFixtures.feedback().setFeedbackId("").build()))
        .hasValueSatisfying(p -> assertThat(p).contains("feedback_id is empty"));
    assertThat(
            validator.problem(
                FeedbackFixtures.feedback().setCorrectedLabel("x".repeat(11)).build()))
        .hasValueSatisfying(p -> assertThat(p).contains("11 characters"));
    assertThat(validator.problem(FeedbackFixtures.feedback().setEventTime(Instant.EPOCH).build()))
        .hasValueSatisfying(p -> assertThat(p).contains("event_time is 0"));
  }

  @Test
  void shouldRejectACorrectedLabelNoLabelSetCouldHold() {
    FeedbackValidator validator = new FeedbackValidator();

    assertThat(
            validator.problem(FeedbackFixtures.feedback().setCorrectedLabel("spam\nham").build()))
        .hasValueSatisfying(p -> assertThat(p).contains("corrected_label", "control character"));
    assertThat(validator.problem(FeedbackFixtures.feedback().setCorrectedLabel("spam ").build()))
        .hasValueSatisfying(p -> assertThat(p).contains("white space", "beside 'spam'"));
    assertThat(
            validator.problem(
                FeedbackFixtures.feedback().setCorrectedLabel("x".repeat(201)).build()))
        .hasValueSatisfying(p -> assertThat(p).contains("201 characters"));
    assertThat(validator.problem(FeedbackFixtures.feedback().setCorrectedLabel("café ☕").build()))
        .isEmpty();
  }
}
