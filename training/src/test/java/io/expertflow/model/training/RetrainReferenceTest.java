package io.expertflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The retrain held to the update's guard bound, on answers whose offsets can be worked by hand. */
class RetrainReferenceTest {
  private static final Set<Integer> NEW_LABEL = Set.of(2);

  @Test
  void shouldLowerTheNewLabelJustEnoughToGiveTheGuardSetBackItsAnswers() {
    RetrainReference.Answers guard =
        new RetrainReference.Answers(
            List.of(
                new float[] {0.5f, 0.1f, 0.4f}, // right at any offset
                new float[] {0.1f, 0.35f, 0.55f}, // right once 2 is lowered by more than 0.452
                new float[] {0.3f, 0.6f, 0.1f}), // wrong whatever 2 does
            new int[] {0, 1, 0});
    RetrainReference.Answers evaluation =
        new RetrainReference.Answers(
            List.of(
                new float[] {0.2f, 0.1f, 0.7f}, // still 2 up to an offset of 1.25
                new float[] {0.35f, 0.2f, 0.45f}), // 2 only below an offset of 0.25
            new int[] {2, 2});

    TrainingReport.GuardHeld held =
        RetrainReference.holdToGuard(guard, evaluation, NEW_LABEL, 0.005);

    assertThat(guard.accuracy(NEW_LABEL, 0)).isEqualTo(1.0 / 3);
    assertThat(evaluation.accuracy(NEW_LABEL, 0)).isEqualTo(1.0);
    assertThat(held.guardWithout()).isEqualTo(2.0 / 3);
    // quarter-logit steps pass at 0.5, then four halvings land just above ln(0.55 / 0.35) = 0.452
    assertThat(held.offset()).isEqualTo(0.453125);
    assertThat(held.guardAccuracy()).isEqualTo(2.0 / 3);
    assertThat(held.newLabelAccuracy()).isEqualTo(0.5);
    assertThat(held.withShare(0.25 / 0.5).updateShare()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void shouldStopAnsweringTheNewLabelWhenTenLogitsDoNotGiveTheGuardSetBack() {
    RetrainReference.Answers guard =
        new RetrainReference.Answers(
            List.of(new float[] {0f, 1e-6f, 0.999999f}), new int[] {1}); // needs 13.8 logits
    RetrainReference.Answers evaluation =
        new RetrainReference.Answers(List.of(new float[] {0.1f, 0.1f, 0.8f}), new int[] {2});

    TrainingReport.GuardHeld held =
        RetrainReference.holdToGuard(guard, evaluation, NEW_LABEL, 0.005);

    assertThat(held.offset()).isInfinite();
    assertThat(held.guardAccuracy()).isEqualTo(1.0);
    assertThat(held.newLabelAccuracy()).isZero();
    assertThat(held.summary()).contains("enough never to answer it");
  }

  @Test
  void shouldJudgeTheGuardSetAsServedWhenItCarriesEvidence() {
    List<float[]> probabilities =
        List.of(
            new float[] {0.5f, 0.1f, 0.4f},
            new float[] {0.1f, 0.35f, 0.55f},
            new float[] {0.3f, 0.6f, 0.1f}); // the head says 1, the words say 0
    int[] labels = {0, 1, 0};
    // evidence over the guard's labels 0 and 1; the new label 2 gets its best, 0
    List<double[]> evidence =
        List.of(new double[] {0, 0}, new double[] {0, 0}, new double[] {0, -2});
    RetrainReference.Answers alone = new RetrainReference.Answers(probabilities, labels);
    RetrainReference.Answers served = new RetrainReference.Answers(probabilities, labels, evidence);
    RetrainReference.Answers evaluation =
        new RetrainReference.Answers(List.of(new float[] {0.2f, 0.1f, 0.7f}), new int[] {2});

    TrainingReport.GuardHeld held =
        RetrainReference.holdToGuard(served, evaluation, NEW_LABEL, 0.005);

    assertThat(alone.accuracy(NEW_LABEL, Double.POSITIVE_INFINITY)).isEqualTo(2.0 / 3);
    assertThat(served.accuracy(NEW_LABEL, Double.POSITIVE_INFINITY)).isEqualTo(1.0);
    assertThat(served.accuracy(NEW_LABEL, 0)).isEqualTo(2.0 / 3);
    assertThat(held.offset()).isEqualTo(0.453125);
    assertThat(held.guardAccuracy()).isEqualTo(1.0);
    assertThat(held.newLabelAccuracy()).isEqualTo(1.0);
  }
}
