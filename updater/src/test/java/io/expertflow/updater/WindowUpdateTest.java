package io.expertflow.updater;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.update.ExpertSelectionPolicy;
import io.expertflow.operators.update.FeedbackSamples;
import io.expertflow.operators.update.SelectionConfig;
import io.expertflow.operators.update.SimulatedFeedback;
import io.expertflow.operators.update.UpdateResult;
import io.expertflow.versions.BaseModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One window's update without a broker: a week of corrections to a label the head never had, half
 * of it on answers of this bundle and half on answers of a bundle served before it (another
 * version, another encoder), which the statistics count under the same expert ids.
 */
class WindowUpdateTest {
  private static final String ENCODER = "synthetic-encoder@0123456789abcdef";
  private static final Instant WEEK_1 = Instant.parse("2024-06-03T00:00:00Z");
  private static final Instant WEEK_2 = WEEK_1.plus(Duration.ofDays(7));

  private final SyntheticShift known = new SyntheticShift(SyntheticShift.KNOWN);
  private final BaseModel base =
      new BaseModel("synthetic", "base-1", "bundle-sha", known.trained.weights(), ENCODER);
  private final UpdaterConfig config =
      UpdaterConfig.defaults()
          // room for the new label's row in all 16 experts (16 x 17 of 10,000 parameters)
          .withSelection(SelectionConfig.defaults().withParameterBudgetShare(0.1));
  private final SimulatedFeedback users =
      new SimulatedFeedback(known.trained.weights(), "base-1", SyntheticShift.LABELS);

  @Test
  void shouldLearnTheNewLabelFromThisBundlesFeedbackAndChooseExpertsByItsAnswersAlone() {
    List<AttributedFeedback> ours =
        encoded(users.attributed(known.shifted, "n1-", WEEK_1), ENCODER);
    List<AttributedFeedback> earlier =
        encoded(users.attributed(known.shifted, "e1-", WEEK_1), "other-encoder@0000000000000000")
            .stream()
            .map(f -> AttributedFeedback.newBuilder(f).setModelVersion("b-earlier").build())
            .toList();
    List<AttributedFeedback> week = new ArrayList<>(ours);
    week.addAll(earlier);

    WindowUpdate.Outcome outcome = updateFrom(week);

    UpdateResult result = outcome.result();
    assertThat(result.publish()).as(result.reason()).isTrue();
    assertThat(result.parentVersion()).isEqualTo("base-1");
    assertThat(result.addedLabels()).containsExactly("new");
    assertThat(result.weights().config().labels()).containsExactlyElementsOf(SyntheticShift.LABELS);
    assertThat(outcome.otherBundles()).isEqualTo(earlier.size());
    assertThat(outcome.samples().skipped())
        .containsEntry(FeedbackSamples.SKIPPED_OTHER_ENCODER, known.shifted.size());
    assertThat(result.trainingFeedback() + result.holdout())
        .as("feedback samples learned from: this bundle's encoder only")
        .isEqualTo(outcome.samples().samples().size())
        .isEqualTo(known.shifted.size());
    assertThat(result.plan().decisions())
        .as("experts chosen by the counts of this bundle's answers alone")
        .isEqualTo(
            new ExpertSelectionPolicy(config.selection())
                .plan(result.weights().config(), SimulatedFeedback.stats(ours, WEEK_1, WEEK_2))
                .decisions());
    assertThat(learned(base.weights())).isZero();
    assertThat(learned(result.weights())).isGreaterThan(0.5);
  }

  @Test
  void shouldAddNoLabelFromCorrectionsMadeOnAnotherEncodersEmbeddings() {
    List<AttributedFeedback> earlier =
        encoded(users.attributed(known.shifted, "e1-", WEEK_1), "other-encoder@0000000000000000");

    WindowUpdate.Outcome outcome = updateFrom(earlier);

    assertThat(outcome.result().addedLabels()).isEmpty();
    assertThat(outcome.result().weights().config().labels())
        .containsExactlyElementsOf(SyntheticShift.KNOWN.labels());
    assertThat(outcome.samples().samples()).isEmpty();
  }

  /** The update from a closed week of {@code feedback}, counted by the statistics as it is. */
  private WindowUpdate.Outcome updateFrom(List<AttributedFeedback> feedback) {
    return new WindowUpdate(config, base, known.trained.reservoir(), known.guard)
        .from(
            new WindowBuffer.ClosedWindow(
                WEEK_1, WEEK_2, SimulatedFeedback.stats(feedback, WEEK_1, WEEK_2), feedback),
            base.weights(),
            base.version(),
            List.of());
  }

  /** Share of the held-out documents of the new label that {@code weights} answer with it. */
  private double learned(MoeHeadWeights weights) {
    int label = SyntheticShift.LABELS.indexOf("new");
    MoeHeadReference head = new MoeHeadReference(weights);
    return known.shiftedEvaluation.stream()
            .filter(s -> head.forward(s.embedding()).argmax() == label)
            .count()
        / (double) known.shiftedEvaluation.size();
  }

  private static List<AttributedFeedback> encoded(
      List<AttributedFeedback> feedback, String encoderId) {
    return feedback.stream()
        .map(f -> AttributedFeedback.newBuilder(f).setEncoderId(encoderId).build())
        .toList();
  }
}
