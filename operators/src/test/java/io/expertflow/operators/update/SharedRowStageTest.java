package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeOutput;
import io.expertflow.operators.moe.SharedLabelRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SharedRowStageTest {
  private static ShiftFixture fixture;

  @BeforeAll
  static void trainHead() {
    fixture = ShiftFixture.create();
  }

  @Test
  void shouldAddOneChangeToTheLabelsRowOfEveryExpertAndNothingElse() {
    MoeHeadWeights before = fixture.trained.weights();
    MoeHeadWeights after = before.copy();
    List<LabeledEmbedding> samples = new ArrayList<>(fixture.shifted);
    samples.addAll(replayOfEveryExpert());
    float[] weights = new float[samples.size()];
    Arrays.fill(weights, 1f);

    float[] change =
        new SharedLabelRow(after, ShiftFixture.NEW).fit(samples, weights, 200, 0.05, 1e-3);

    int m = ShiftFixture.HEAD.expertHidden();
    int l = ShiftFixture.LABELS.size();
    assertThat(change).hasSize(m + 1);
    assertThat(Math.abs(change[m]) + Math.abs(change[0])).isPositive();
    Map<String, MoeHeadWeights.Tensor> b = before.tensors();
    Map<String, MoeHeadWeights.Tensor> a = after.tensors();
    for (String name : b.keySet()) {
      float[] x = b.get(name).data();
      float[] y = a.get(name).data();
      for (int i = 0; i < x.length; i++) {
        boolean newRow =
            name.equals("experts.w2") && (i / m) % l == ShiftFixture.NEW
                || name.equals("experts.b2") && i % l == ShiftFixture.NEW;
        if (newRow) {
          float expected = x[i] + change[name.equals("experts.b2") ? m : i % m];
          assertThat(y[i]).as("%s[%d]", name, i).isEqualTo(expected);
        } else {
          assertThat(Float.floatToRawIntBits(y[i]))
              .as("%s[%d] must not move", name, i)
              .isEqualTo(Float.floatToRawIntBits(x[i]));
        }
      }
    }
  }

  @Test
  void shouldTeachTheLabelToDocumentsRoutedToExpertsThatSawNoFeedback() {
    List<AttributedFeedback> feedback = fixture.feedback(fixture.shifted, "fb-");
    // only the expert(s) with the most feedback qualify, so some documents of the label route to
    // no chosen expert; the budget holds the shared row of one label in every expert (16 x 17)
    long most =
        ShiftFixture.stats(feedback).stream().mapToLong(st -> st.getCount()).max().orElseThrow();
    SelectionConfig selection =
        SelectionConfig.defaults().withParameterBudgetShare(0.1).withMinFeedback(most);
    UpdateResult with = update(selection, feedback, UpdateConfig.defaults());
    UpdateResult without =
        update(selection, feedback, UpdateConfig.defaults().withSharedRows(false));

    assertThat(with.publish()).as(with.reason()).isTrue();
    assertThat(with.reason()).contains("shared rows of [new] in every expert");
    assertThat(with.changedExperts()).hasSize(ShiftFixture.HEAD.experts());
    Set<Integer> chosen = new HashSet<>(with.plan().chosenExperts());
    MoeHeadReference served = new MoeHeadReference(fixture.trained.weights());
    List<LabeledEmbedding> unreached = new ArrayList<>();
    for (LabeledEmbedding s : fixture.shiftedEvaluation) {
      MoeOutput out = served.forward(s.embedding());
      if (Arrays.stream(out.experts()).noneMatch(chosen::contains)) {
        unreached.add(s);
      }
    }
    assertThat(unreached).as("evaluation documents no chosen expert routes").isNotEmpty();
    assertThat(accuracy(with.weights(), unreached)).isGreaterThan(0.5);
    assertThat(accuracy(with.weights(), fixture.shiftedEvaluation))
        .isGreaterThanOrEqualTo(accuracy(without.weights(), fixture.shiftedEvaluation));
    assertThat(with.before().guardAccuracy() - with.after().guardAccuracy())
        .isLessThanOrEqualTo(0.005);
  }

  @Test
  void shouldPublishTheSharedRowAloneWhenNoExpertHasEnoughFeedback() {
    List<AttributedFeedback> feedback = fixture.feedback(fixture.shifted, "fb-");
    long most =
        ShiftFixture.stats(feedback).stream().mapToLong(st -> st.getCount()).max().orElseThrow();
    SelectionConfig selection =
        SelectionConfig.defaults().withParameterBudgetShare(0.1).withMinFeedback(most + 1);

    UpdateResult result = update(selection, feedback, UpdateConfig.defaults());

    assertThat(result.plan().chosenExperts()).isEmpty();
    assertThat(result.publish()).as(result.reason()).isTrue();
    int m = ShiftFixture.HEAD.expertHidden();
    assertThat(result.diff().parametersChanged())
        .isEqualTo((long) ShiftFixture.HEAD.experts() * (m + 1));
    assertThat(accuracy(result.weights(), fixture.shiftedEvaluation)).isGreaterThan(0.5);
    UpdateResult off = update(selection, feedback, UpdateConfig.defaults().withSharedRows(false));
    assertThat(off.reason()).startsWith("rejected: no expert qualified");
  }

  @Test
  void shouldBreakHeldOutAccuracyTiesByTheHeldOutLogLikelihood() {
    List<Double> logLikelihood = new ArrayList<>();
    SharedRowStage.Outcome outcome = runTied(null, logLikelihood);

    // no row here answers a replayed document of another label, so no share is fitted again
    assertThat(logLikelihood).as(outcome.note()).hasSameSizeAs(SharedRowStage.SHARES);
    assertThat(outcome.note()).doesNotContain("claimed");
    int surest = 0;
    for (int i = 1; i < logLikelihood.size(); i++) {
      if (logLikelihood.get(i) > logLikelihood.get(surest)) {
        surest = i;
      }
    }
    // one candidate is strictly the surest, so the expected share is not a matter of rounding
    for (int i = 0; i < logLikelihood.size(); i++) {
      if (i != surest) {
        assertThat(logLikelihood.get(i)).as(outcome.note()).isLessThan(logLikelihood.get(surest));
      }
    }
    // the tie goes to the candidate surest of the held-out labels, not simply the smallest share
    assertThat(surest).as(outcome.note()).isPositive();
    assertThat(outcome.share()).as(outcome.note()).isEqualTo(SharedRowStage.SHARES.get(surest));
    assertThat(tiedHoldout().meanLogProbability(outcome.weights()))
        .isEqualTo(logLikelihood.get(surest));
    // and the note lists it beside the candidate's accuracies
    assertThat(outcome.note())
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "%.2f: 0.500/1.000, %.3f",
                SharedRowStage.SHARES.get(surest),
                logLikelihood.get(surest)));
  }

  @Test
  void shouldNameTheGuardDocumentsEachCandidateTookBeforeItsBackOff() {
    MoeHeadWeights serving = fixture.trained.weights();
    MoeHeadReference head = new MoeHeadReference(serving);
    // documents of the new label's kind, labelled as the served head answers them: right before,
    // and the new label's row takes some of them
    List<LabeledEmbedding> answered = new ArrayList<>();
    for (LabeledEmbedding s : fixture.shiftedEvaluation) {
      answered.add(new LabeledEmbedding(s.embedding(), head.forward(s.embedding()).argmax()));
    }
    GuardSet guard = new GuardSet(ShiftFixture.LABELS, ShiftFixture.HEAD.hidden(), answered);

    List<Double> logLikelihood = new ArrayList<>();
    SharedRowStage.Outcome outcome = runTied(guard, logLikelihood);

    // the judge holds every candidate within the bound, so the kept one is its fitted rows as they
    // are: what the note says it took is what those rows take
    java.util.SortedMap<String, Integer> taken = guard.taken(serving, outcome.weights());
    assertThat(taken).isNotEmpty();
    int kept = SharedRowStage.SHARES.indexOf(outcome.share());
    assertThat(outcome.note())
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "%.2f: 0.500/1.000, %.3f [took %s]",
                outcome.share(),
                logLikelihood.get(kept),
                taken.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", "))));
    // without the guard set the note names nothing
    assertThat(runTied(null, new ArrayList<>()).note()).doesNotContain("[took");
  }

  /** The feedback's held-out half as served, which {@link #runTied} breaks ties on. */
  private static GuardSet tiedHoldout() {
    return ExpertUpdater.asServed(FeedbackSplit.of(tiedWindow(), 0.5).holdout(), ShiftFixture.HEAD);
  }

  private static List<FeedbackSample> tiedWindow() {
    return FeedbackSamples.from(
            fixture.feedback(fixture.shifted, "fb-"),
            ShiftFixture.LABELS,
            ShiftFixture.HEAD.hidden())
        .samples();
  }

  /**
   * Runs the stage under a judge for which every candidate ties (the same held-out and guard
   * accuracy for all, within the bound), recording each candidate's held-out log-likelihood in
   * share order.
   */
  private static SharedRowStage.Outcome runTied(GuardSet guard, List<Double> logLikelihood) {
    List<FeedbackSample> window = tiedWindow();
    GuardSet holdout = tiedHoldout();
    return SharedRowStage.run(
        fixture.trained.weights(),
        window,
        FeedbackSplit.of(window, 0.5).train(),
        replayOfEveryExpert(),
        new Evaluation(0, 1, Double.NaN),
        Long.MAX_VALUE,
        0.005,
        guard,
        false,
        w -> new Evaluation(0.5, 1, Double.NaN),
        w -> {
          double v = holdout.meanLogProbability(w);
          logLikelihood.add(v);
          return v;
        },
        null,
        List.of());
  }

  @Test
  void shouldSkipTheSharedRowWhenTheBudgetCannotHoldIt() {
    List<AttributedFeedback> feedback = fixture.feedback(fixture.shifted, "fb-");
    // 5 %: room for the chosen experts' rows and gates, not for a row in all 16 experts
    UpdateResult result =
        update(
            SelectionConfig.defaults().withParameterBudgetShare(0.05),
            feedback,
            UpdateConfig.defaults());

    assertThat(result.reason()).contains("no shared row: rows of [new] need 272 parameters");
    assertThat(result.changedExperts()).isSubsetOf(result.plan().chosenExperts());
  }

  @Test
  void shouldLowerTheBiasOnlyInTheExpertsThatRouteTheGuardDocumentsTheLabelTook() {
    MoeHeadWeights serving = fixture.trained.weights();
    MoeHeadReference head = new MoeHeadReference(serving);
    // a small guard set: three documents the served head answers right, and the experts they use
    List<LabeledEmbedding> right = new ArrayList<>();
    Set<Integer> guardExperts = new java.util.TreeSet<>();
    for (LabeledEmbedding s : fixture.guard.samples()) {
      MoeOutput o = head.forward(s.embedding());
      if (right.size() < 3 && o.argmax() == s.label()) {
        right.add(s);
        Arrays.stream(o.experts()).forEach(guardExperts::add);
      }
    }
    GuardSet guard = new GuardSet(ShiftFixture.LABELS, ShiftFixture.HEAD.hidden(), right);
    GuardSet holdout =
        new GuardSet(ShiftFixture.LABELS, ShiftFixture.HEAD.hidden(), fixture.shiftedEvaluation);
    java.util.function.Function<MoeHeadWeights, Evaluation> evaluate =
        w -> new Evaluation(holdout.accuracy(w), guard.accuracy(w), 0);
    // a row for the new label that claims every document: its bias 10 logits up in every expert
    MoeHeadWeights fitted = serving.copy();
    SharedLabelRow row = new SharedLabelRow(fitted, ShiftFixture.NEW);
    float[] raised = row.biases();
    for (int e = 0; e < raised.length; e++) {
      raised[e] += 10;
    }
    row.setBiases(raised);
    assertThat(guard.accuracy(fitted)).isZero();

    RowBackoff.Backoff backoff = backOffNew(fitted, serving, guard, evaluate);

    // the guard documents are answered right again, by lowering the bias where they route only
    assertThat(backoff.evaluation().guardAccuracy()).isEqualTo(1.0);
    assertThat(guardExperts).hasSizeLessThan(ShiftFixture.HEAD.experts());
    assertThat(backoff.how()).contains("bias lowered in " + guardExperts.size() + " experts");
    float[] after = row.biases();
    for (int e = 0; e < after.length; e++) {
      if (guardExperts.contains(e)) {
        assertThat(after[e]).as("expert %d routes a guard document", e).isLessThan(raised[e]);
      } else {
        assertThat(after[e]).as("expert %d routes none", e).isEqualTo(raised[e]);
      }
    }
    // the label keeps its documents through the other experts
    assertThat(backoff.evaluation().holdoutAccuracy()).isGreaterThan(0.2);
    // without the guard set to target (update.backoff.targeted=false) the bias falls in every
    // expert alike
    MoeHeadWeights again = serving.copy();
    new SharedLabelRow(again, ShiftFixture.NEW).setBiases(raised);
    RowBackoff.Backoff uniform = backOffNew(again, serving, null, evaluate);
    assertThat(uniform.how()).startsWith(" (bias -");
    assertThat(uniform.evaluation().guardAccuracy()).isEqualTo(1.0);
    float[] lowered = new SharedLabelRow(again, ShiftFixture.NEW).biases();
    float by = raised[0] - lowered[0];
    assertThat(by).isPositive();
    for (int e = 0; e < lowered.length; e++) {
      assertThat(raised[e] - lowered[e]).as("expert %d", e).isCloseTo(by, within(1e-5f));
    }
  }

  @Test
  void shouldLeanTheRowAwayFromTheReplayedDocumentsItClaimedWhenThoseWeighMore() {
    List<LabeledEmbedding> replay = replayOfEveryExpert();
    List<LabeledEmbedding> samples = new ArrayList<>(fixture.shifted);
    samples.addAll(replay);
    // much feedback weight: the row as fitted once answers replayed documents of other labels too
    int feedback = fixture.shifted.size();
    float feedbackWeight = 0.3f * replay.size() / feedback;
    float[] once = ClaimedReplay.weights(samples.size(), feedback, feedbackWeight, null);
    MoeHeadWeights serving = fixture.trained.weights();
    MoeHeadWeights plain = serving.copy();
    fit(plain, samples, once);

    boolean[] mask = ClaimedReplay.claimed(plain, ShiftFixture.NEW, samples, feedback);
    float[] twice = ClaimedReplay.weights(samples.size(), feedback, feedbackWeight, mask);
    MoeHeadWeights leaned = serving.copy();
    fit(leaned, samples, twice);

    int claimedOnce = claimed(plain, replay);
    assertThat(claimedOnce).as("replayed documents of other labels the row answers").isPositive();
    int reweighed = 0;
    for (int i = 0; i < once.length; i++) {
      if (twice[i] != once[i]) {
        assertThat(twice[i]).isEqualTo(once[i] * ClaimedReplay.WEIGHT);
        assertThat(i).as("only replayed samples").isGreaterThanOrEqualTo(feedback);
        reweighed++;
      }
    }
    assertThat(reweighed).as("exactly those the first fit claimed").isEqualTo(claimedOnce);
    assertThat(claimed(leaned, replay)).isLessThan(claimedOnce);
    assertThat(accuracy(leaned, fixture.shiftedEvaluation))
        .as("the label is still learned")
        .isGreaterThan(0.5);
    // a row that claims nothing has no second fit
    MoeHeadWeights untouched = serving.copy();
    assertThat(ClaimedReplay.claimed(untouched, ShiftFixture.NEW, samples, feedback)).isNull();
  }

  private static void fit(MoeHeadWeights w, List<LabeledEmbedding> samples, float[] weights) {
    new SharedLabelRow(w, ShiftFixture.NEW)
        .fit(
            samples,
            weights,
            SharedRowStage.STEPS,
            SharedRowStage.LEARNING_RATE,
            SharedRowStage.L2);
  }

  /** Replayed samples of other labels that {@code w} answers with the new label. */
  private static int claimed(MoeHeadWeights w, List<LabeledEmbedding> replay) {
    MoeHeadReference head = new MoeHeadReference(w);
    int n = 0;
    for (LabeledEmbedding s : replay) {
      if (s.label() != ShiftFixture.NEW
          && head.forward(s.embedding()).argmax() == ShiftFixture.NEW) {
        n++;
      }
    }
    return n;
  }

  /** The back-off of the new label's row in {@code fitted}, the guard at 0.5 points below. */
  private static RowBackoff.Backoff backOffNew(
      MoeHeadWeights fitted,
      MoeHeadWeights serving,
      GuardSet guard,
      java.util.function.Function<MoeHeadWeights, Evaluation> evaluate) {
    return RowBackoff.backOff(
        fitted,
        new java.util.TreeSet<>(Set.of(ShiftFixture.NEW)),
        evaluate.apply(serving),
        0.005,
        guard,
        evaluate);
  }

  private static double accuracy(MoeHeadWeights w, List<LabeledEmbedding> samples) {
    return io.expertflow.operators.moe.MoeHeadTrainer.accuracy(w, samples);
  }

  private static List<LabeledEmbedding> replayOfEveryExpert() {
    List<LabeledEmbedding> out = new ArrayList<>();
    for (int e = 0; e < ShiftFixture.HEAD.experts(); e++) {
      out.addAll(fixture.trained.reservoir().samples(e));
    }
    return out;
  }

  private static UpdateResult update(
      SelectionConfig selection, List<AttributedFeedback> feedback, UpdateConfig config) {
    var plan =
        new ExpertSelectionPolicy(selection).plan(ShiftFixture.HEAD, ShiftFixture.stats(feedback));
    var samples = FeedbackSamples.from(feedback, ShiftFixture.LABELS, ShiftFixture.HEAD.hidden());
    return new ExpertUpdater(config)
        .update(
            new UpdateInputs(
                "synthetic",
                "base",
                fixture.trained.weights(),
                plan,
                samples.samples(),
                fixture.trained.reservoir(),
                fixture.guard));
  }
}
