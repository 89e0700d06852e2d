package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadTrainer;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.ReplayReservoir;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExpertUpdaterTest {
  // the synthetic head is tiny (10k expert parameters), so one expert's gate row alone is 0.3 %
  private static final SelectionConfig SELECTION =
      SelectionConfig.defaults().withParameterBudgetShare(0.05);

  private static ShiftFixture fixture;

  @BeforeAll
  static void trainHead() {
    fixture = ShiftFixture.create();
  }

  @Test
  void shouldLearnAShiftedClassWithoutRegressingTheGuardSet() {
    List<AttributedFeedback> feedback = fixture.feedback(fixture.shifted, "fb-");

    UpdateResult result = update(SELECTION, feedback, fixture.trained.reservoir());

    assertThat(result.publish()).as(result.reason()).isTrue();
    assertThat(result.reason()).startsWith("published");
    assertThat(result.before().holdoutAccuracy()).isLessThan(0.1);
    assertThat(result.after().holdoutAccuracy()).isGreaterThan(0.8);
    assertThat(result.before().guardAccuracy() - result.after().guardAccuracy())
        .isLessThanOrEqualTo(0.005);
    // documents of the new class the update never saw
    assertThat(MoeHeadTrainer.accuracy(result.weights(), fixture.shiftedEvaluation))
        .isGreaterThan(
            MoeHeadTrainer.accuracy(fixture.trained.weights(), fixture.shiftedEvaluation) + 0.5);
  }

  @Test
  void shouldJudgeHeldOutFeedbackOnTheAnswerAsServed() {
    // a TF-IDF model beside the head that reads every shifted document as the new label: served,
    // the feedback was answered right already, so the update has nothing to gain on it
    double[] words = new double[ShiftFixture.LABELS.size()];
    java.util.Arrays.fill(words, -30);
    words[ShiftFixture.NEW] = 0;
    List<double[]> evidence = Collections.nCopies(fixture.shifted.size(), words);
    List<AttributedFeedback> served =
        new SimulatedFeedback(fixture.trained.weights(), "base", ShiftFixture.LABELS)
            .attributed(fixture.shifted, evidence, "fb-", ShiftFixture.WINDOW_START);
    List<AttributedFeedback> headAlone = fixture.feedback(fixture.shifted, "fb-");

    UpdateResult judgedServed = update(SELECTION, served, fixture.trained.reservoir());
    UpdateResult judgedOnHead = update(SELECTION, headAlone, fixture.trained.reservoir());

    assertThat(served)
        .allSatisfy(
            f -> {
              assertThat(f.getLexicalEvidence()).hasSize(ShiftFixture.LABELS.size());
              // the simulated user saw the served answer, which was right
              assertThat(f.getNegative()).isFalse();
            });
    assertThat(judgedServed.before().holdoutAccuracy()).isEqualTo(1.0);
    assertThat(judgedServed.publish()).isFalse();
    // no expert qualifies on positive feedback alone, and no shared row can improve on it
    assertThat(judgedServed.reason())
        .contains("no candidate improved the held-out feedback")
        .contains("0.03: 1.000/");
    assertThat(judgedOnHead.before().holdoutAccuracy()).isLessThan(0.1);
    assertThat(judgedOnHead.publish()).isTrue();
    assertThat(judgedOnHead.reason()).contains("held-out accuracy 0.").doesNotContain("as served");
    // words that favour no label: the same answers as the head's, judged and named as served
    List<double[]> neutral =
        Collections.nCopies(fixture.shifted.size(), new double[ShiftFixture.LABELS.size()]);
    UpdateResult judgedNeutral =
        update(
            SELECTION,
            new SimulatedFeedback(fixture.trained.weights(), "base", ShiftFixture.LABELS)
                .attributed(fixture.shifted, neutral, "fb-", ShiftFixture.WINDOW_START),
            fixture.trained.reservoir());
    assertThat(judgedNeutral.publish()).isTrue();
    assertThat(judgedNeutral.reason()).startsWith("published: held-out accuracy as served 0.");
    assertThat(judgedNeutral.after().holdoutAccuracy())
        .isEqualTo(judgedOnHead.after().holdoutAccuracy());
    // what judged it is part of what the version is derived from
    assertThat(judgedNeutral.versionId()).isNotEqualTo(judgedOnHead.versionId());
  }

  @Test
  void shouldChangeOnlyTheChosenExpertsScopedParametersAndCountThemExactly() {
    UpdateResult result =
        update(SELECTION, fixture.feedback(fixture.shifted, "fb-"), fixture.trained.reservoir());
    MoeHeadWeights before = fixture.trained.weights();
    MoeHeadWeights after = result.weights();
    List<Integer> chosen = result.plan().chosenExperts();

    assertThat(result.changedExperts()).isNotEmpty().isSubsetOf(chosen);
    for (int e = 0; e < ShiftFixture.HEAD.experts(); e++) {
      if (!chosen.contains(e)) {
        assertThat(WeightDiff.identical(before, after, e)).as("expert %d", e).isTrue();
      }
    }
    long counted = 0;
    for (int e : chosen) {
      var b = before.expertTensors(e);
      var a = after.expertTensors(e);
      String p = "expert." + e + ".";
      assertThat(a.get(p + "w1").data()).isEqualTo(b.get(p + "w1").data());
      assertThat(a.get(p + "b1").data()).isEqualTo(b.get(p + "b1").data());
      int m = ShiftFixture.HEAD.expertHidden();
      for (int r = 0; r < ShiftFixture.NEW; r++) {
        for (int i = 0; i < m; i++) {
          assertThat(a.get(p + "w2").data()[r * m + i])
              .isEqualTo(b.get(p + "w2").data()[r * m + i]);
        }
        assertThat(a.get(p + "b2").data()[r]).isEqualTo(b.get(p + "b2").data()[r]);
      }
      for (var name : a.keySet()) {
        for (int i = 0; i < a.get(name).size(); i++) {
          if (Float.floatToRawIntBits(a.get(name).data()[i])
              != Float.floatToRawIntBits(b.get(name).data()[i])) {
            counted++;
          }
        }
      }
    }
    assertThat(result.diff().parametersChanged())
        .isEqualTo(counted)
        .isPositive()
        .isLessThanOrEqualTo(result.plan().plannedParameters());
    assertThat(result.changedShare()).isLessThanOrEqualTo(SELECTION.parameterBudgetShare());
    assertThat(after.tensors().get("domains.scale").data())
        .isEqualTo(before.tensors().get("domains.scale").data());
  }

  @Test
  void shouldLeaveGateRowsAndRoutingAloneUnderTheFixedRoutingScope() {
    SelectionConfig fixed = SELECTION.withScope(UpdateScope.FEEDBACK_LABEL_OUTPUTS_FIXED_ROUTING);

    UpdateResult result =
        update(fixed, fixture.feedback(fixture.shifted, "fb-"), fixture.trained.reservoir());

    MoeHeadWeights before = fixture.trained.weights();
    MoeHeadWeights after = result.weights();
    assertThat(result.changedExperts()).isNotEmpty();
    assertThat(after.tensors().get("gate.weight").data())
        .isEqualTo(before.tensors().get("gate.weight").data());
    assertThat(after.tensors().get("gate.bias").data())
        .isEqualTo(before.tensors().get("gate.bias").data());
    long perExpert = ShiftFixture.HEAD.expertHidden() + 1L; // one label's W2 row and b2 entry
    assertThat(fixed.scope().parametersPerExpert(ShiftFixture.HEAD, 1)).isEqualTo(perExpert);
    for (int e : result.changedExperts()) {
      assertThat(result.diff().changedByExpert().get(e)).isLessThanOrEqualTo(perExpert);
    }
    var a = new io.expertflow.operators.moe.MoeHeadReference(after);
    var b = new io.expertflow.operators.moe.MoeHeadReference(before);
    for (LabeledEmbedding s : fixture.guard.samples()) {
      assertThat(a.forward(s.embedding()).experts()).isEqualTo(b.forward(s.embedding()).experts());
    }
  }

  @Test
  void shouldGiveTheSameUpdateFromAReservoirReadBackFromItsFile() throws java.io.IOException {
    List<AttributedFeedback> feedback = fixture.feedback(fixture.shifted, "fb-");
    var bytes = new java.io.ByteArrayOutputStream();
    fixture.trained.reservoir().writeTo(bytes);
    ReplayReservoir readBack =
        ReplayReservoir.readFrom(new java.io.ByteArrayInputStream(bytes.toByteArray()));

    UpdateResult inMemory = update(SELECTION, feedback, fixture.trained.reservoir());
    UpdateResult fromFile = update(SELECTION, feedback, readBack);

    assertThat(fromFile.trainingReplay()).isEqualTo(inMemory.trainingReplay());
    inMemory
        .weights()
        .tensors()
        .forEach(
            (name, t) ->
                assertThat(fromFile.weights().tensors().get(name).data())
                    .as(name)
                    .isEqualTo(t.data()));
  }

  @Test
  void shouldRejectShuffledLabelFeedback() {
    Random random = new Random(5);
    List<LabeledEmbedding> shuffled = new ArrayList<>();
    for (LabeledEmbedding s : fixture.guard.samples().subList(0, 120)) {
      shuffled.add(new LabeledEmbedding(s.embedding(), random.nextInt(ShiftFixture.LABELS.size())));
    }

    UpdateResult result =
        update(SELECTION, fixture.feedback(shuffled, "sh-"), fixture.trained.reservoir());

    assertThat(result.plan().chosen()).isNotEmpty();
    assertThat(result.publish()).isFalse();
    assertThat(result.reason()).startsWith("rejected");
  }

  @Test
  void shouldRevertTheExpertsThatForgetWhatTheyKnewWhenUpdatedWithoutReplay() {
    ReplayReservoir none =
        new ReplayReservoir(
            ShiftFixture.LABELS, ShiftFixture.HEAD.hidden(), ShiftFixture.HEAD.experts(), 0);

    UpdateResult result =
        update(
            SELECTION.withScope(UpdateScope.ALL_OUTPUTS).withParameterBudgetShare(1.0),
            fixture.feedback(fixture.shifted, "fb-"),
            none);

    // without replay some experts answer the new label for everything they route; guard pruning
    // takes exactly those back (bit-identical to the serving weights again) and keeps the rest
    assertThat(result.reason()).contains("reverted: their change cost the guard set");
    List<Integer> kept = result.diff().changedExperts();
    assertThat(kept).isNotEmpty().isSubsetOf(result.plan().chosenExperts());
    assertThat(result.plan().chosenExperts()).hasSizeGreaterThan(kept.size());
    assertThat(result.before().guardAccuracy() - result.after().guardAccuracy())
        .isLessThanOrEqualTo(0.005 + 1e-9);
    assertThat(result.after().holdoutAccuracy()).isGreaterThan(result.before().holdoutAccuracy());
  }

  @Test
  void shouldGiveTheSameVersionAndWeightsForTheSameWindowWhateverTheRecordOrder() {
    List<AttributedFeedback> feedback = fixture.feedback(fixture.shifted, "fb-");
    List<AttributedFeedback> reordered = new ArrayList<>(feedback);
    Collections.shuffle(reordered, new Random(3));

    UpdateResult first = update(SELECTION, feedback, fixture.trained.reservoir());
    UpdateResult again = update(SELECTION, reordered, fixture.trained.reservoir());

    assertThat(again.versionId()).isEqualTo(first.versionId()).startsWith("u20240603-");
    assertThat(again.diff()).isEqualTo(first.diff());
    assertThat(again.weights().tensors().get("experts.w2").data())
        .isEqualTo(first.weights().tensors().get("experts.w2").data());
    assertThat(again.weights().tensors().get("gate.weight").data())
        .isEqualTo(first.weights().tensors().get("gate.weight").data());
  }

  @Test
  void shouldDeriveADifferentVersionFromAnotherParent() {
    List<AttributedFeedback> feedback = fixture.feedback(fixture.shifted, "fb-");
    var plan =
        new ExpertSelectionPolicy(SELECTION).plan(ShiftFixture.HEAD, ShiftFixture.stats(feedback));
    var samples = FeedbackSamples.from(feedback, ShiftFixture.LABELS, ShiftFixture.HEAD.hidden());
    ExpertUpdater updater = new ExpertUpdater(UpdateConfig.defaults().withEpochs(1));

    String a = updater.update(inputs("v1", plan, samples, fixture.trained.reservoir())).versionId();
    String b = updater.update(inputs("v2", plan, samples, fixture.trained.reservoir())).versionId();

    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void shouldRejectWithoutTrainingWhenNoExpertQualified() {
    List<AttributedFeedback> few = fixture.feedback(fixture.shifted.subList(0, 3), "few-");

    UpdateResult result = update(SELECTION, few, fixture.trained.reservoir());

    assertThat(result.publish()).isFalse();
    assertThat(result.reason()).startsWith("rejected: no expert qualified");
    assertThat(result.diff().parametersChanged()).isZero();
  }

  private static UpdateResult update(
      SelectionConfig selection, List<AttributedFeedback> feedback, ReplayReservoir replay) {
    var plan =
        new ExpertSelectionPolicy(selection).plan(ShiftFixture.HEAD, ShiftFixture.stats(feedback));
    var samples = FeedbackSamples.from(feedback, ShiftFixture.LABELS, ShiftFixture.HEAD.hidden());
    return new ExpertUpdater(UpdateConfig.defaults()).update(inputs("base", plan, samples, replay));
  }

  private static UpdateInputs inputs(
      String parent, ExpertUpdatePlan plan, FeedbackSamples samples, ReplayReservoir replay) {
    return new UpdateInputs(
        "synthetic",
        parent,
        fixture.trained.weights(),
        plan,
        samples.samples(),
        replay,
        fixture.guard);
  }
}
