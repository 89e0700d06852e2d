package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A label the head never had, learned from a week of corrections: the grown head answers as the
 * served one did, the update adds the label to every expert and teaches it, and a window that names
 * a label too rarely adds nothing.
 */
class LabelGrowthTest {
  private static ShiftFixture fixture;

  @BeforeAll
  static void trainHeadWithoutTheNewLabel() {
    fixture = ShiftFixture.createWithoutNewLabel();
  }

  @Test
  void shouldAnswerEveryDocumentAsTheServedHeadDidUntilTheNewRowIsLearned() {
    MoeHeadWeights served = fixture.trained.weights();
    List<AttributedFeedback> feedback = fixture.feedback(fixture.shifted, "fb-");

    LabelGrowth.Grown grown =
        LabelGrowth.prepare(
            served, feedback, fixture.trained.reservoir().allSamples(), /* minDocuments= */ 10);

    assertThat(grown.added()).containsExactly("new");
    assertThat(grown.weights().config().labels()).containsExactly("a", "b", "c", "d", "new");
    assertThat(served.config().labels()).containsExactly("a", "b", "c", "d");
    MoeHeadReference before = new MoeHeadReference(served);
    MoeHeadReference after = new MoeHeadReference(grown.weights());
    List<LabeledEmbedding> documents = new ArrayList<>(fixture.guard.samples());
    documents.addAll(fixture.shiftedEvaluation);
    for (LabeledEmbedding d : documents) {
      MoeOutput b = before.forward(d.embedding());
      MoeOutput a = after.forward(d.embedding());
      assertThat(a.argmax()).isEqualTo(b.argmax());
      assertThat(a.experts()).containsExactly(b.experts());
      assertThat(a.probabilities()[ShiftFixture.NEW]).isLessThan(0.01f);
    }
  }

  @Test
  void shouldAddTheLabelToEveryExpertAndTeachItWithoutCostingTheGuardSet() {
    ShiftFigures figures =
        new ShiftScenario(
                SelectionConfig.defaults().withParameterBudgetShare(0.1).withMinFeedback(4),
                UpdateConfig.defaults())
            .run(
                "synthetic",
                "base",
                fixture.trained.weights(),
                fixture.trained.reservoir(),
                fixture.guard,
                fixture.shifted,
                fixture.shiftedEvaluation,
                ShiftFixture.LABELS);

    assertThat(figures.published()).as(figures.reason()).isTrue();
    assertThat(figures.reason()).contains("adds [new] to the label set");
    assertThat(figures.newLabelBefore()).isZero();
    assertThat(figures.newLabelAfter()).isGreaterThan(0.5);
    assertThat(figures.guardBefore() - figures.guardAfter()).isLessThanOrEqualTo(0.005);
    assertThat(figures.changedExperts()).hasSize(ShiftFixture.KNOWN.experts());
  }

  @Test
  void shouldAddNoLabelNamedByTooFewDocuments() {
    // nine documents, each attributed to two experts: 18 records, 9 documents
    List<AttributedFeedback> feedback = fixture.feedback(fixture.shifted.subList(0, 9), "fb-");
    assertThat(feedback).hasSizeGreaterThan(9);
    Map<String, Integer> skipped = new TreeMap<>();

    List<String> added = LabelGrowth.newLabels(feedback, ShiftFixture.KNOWN.labels(), 10, skipped);

    assertThat(added).isEmpty();
    assertThat(skipped).containsExactly(Map.entry("new", 9));
    LabelGrowth.Grown grown =
        LabelGrowth.prepare(
            fixture.trained.weights(), feedback, fixture.trained.reservoir().allSamples(), 10);
    assertThat(grown.weights()).isSameAs(fixture.trained.weights());
    assertThat(
            LabelGrowth.newLabels(fixture.feedback(fixture.shifted, "x-"), List.of(), 0, skipped))
        .as("0 turns growth off")
        .isEmpty();
  }

  @Test
  void shouldNotGrowTheModelFromAFloodOfCorrectionsOnOneDocument() {
    List<AttributedFeedback> flood = new ArrayList<>();
    for (AttributedFeedback f : fixture.feedback(fixture.shifted, "fb-")) {
      flood.add(AttributedFeedback.newBuilder(f).setRequestId("one-request").build());
    }
    assertThat(flood.stream().map(AttributedFeedback::getFeedbackId).distinct().count())
        .isGreaterThan(10);
    Map<String, Integer> skipped = new TreeMap<>();

    assertThat(LabelGrowth.newLabels(flood, ShiftFixture.KNOWN.labels(), 10, skipped)).isEmpty();
    assertThat(skipped).containsExactly(Map.entry("new", 1));
  }

  @Test
  void shouldRefuseToAddALabelTheHeadHas() {
    assertThatThrownBy(() -> fixture.trained.weights().withAddedLabels(List.of("b"), -5f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'b' is already in the label set");
  }
}
