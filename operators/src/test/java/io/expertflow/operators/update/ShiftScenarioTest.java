package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeTrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ShiftScenarioTest {
  @Test
  void shouldReportTheNewLabelLearnedTheGuardKeptAndTheOtherExpertsUntouched() {
    assertLearnedAndGuarded(ShiftFixture.create());
  }

  @Test
  void shouldStillLiftANewLabelWhenTheExpertsStartFromRandomWeights() {
    assertLearnedAndGuarded(ShiftFixture.create(MoeTrainingConfig.Start.RANDOM));
  }

  @ParameterizedTest
  @EnumSource(
      value = MoeTrainingConfig.Start.class,
      names = {"UPCYCLED", "UPCYCLED_FROM_LINEAR"})
  void shouldLiftANewLabelThatTheUpcycledDenseStartNeverSaw(MoeTrainingConfig.Start start) {
    ShiftFixture f = ShiftFixture.create(start);
    MoeHeadReference head = new MoeHeadReference(f.trained.weights());
    for (LabeledEmbedding s : f.shiftedEvaluation) {
      assertThat(head.forward(s.embedding()).argmax()).isNotEqualTo(ShiftFixture.NEW);
    }

    assertLearnedAndGuarded(f);
  }

  private static void assertLearnedAndGuarded(ShiftFixture f) {
    ShiftFigures figures =
        new ShiftScenario(
                SelectionConfig.defaults().withParameterBudgetShare(0.05), UpdateConfig.defaults())
            .run(
                "synthetic",
                "base",
                f.trained.weights(),
                f.trained.reservoir(),
                f.guard,
                f.shifted,
                f.shiftedEvaluation);

    assertThat(figures.published()).as(figures.summary()).isTrue();
    assertThat(figures.newLabelAfter() - figures.newLabelBefore()).isGreaterThan(0.10);
    assertThat(figures.guardBefore() - figures.guardAfter()).isLessThanOrEqualTo(0.005);
    assertThat(figures.changedShare()).isPositive().isLessThanOrEqualTo(0.05);
    assertThat(figures.unchangedExpertsIdentical()).isTrue();
    assertThat(figures.summary()).contains("published");
  }
}
