package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.avro.LabelConfusion;
import io.expertflow.operators.moe.MoeHeadConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpertSelectionPolicyTest {
  private static final MoeHeadConfig HEAD = new MoeHeadConfig(384, 128, 2, 32, 32, labels(17));
  private static final Instant START = Instant.parse("2024-06-03T00:00:00Z");
  private static final Instant END = START.plusSeconds(7 * 24 * 3600);

  private final ExpertSelectionPolicy policy =
      new ExpertSelectionPolicy(SelectionConfig.defaults());

  @Test
  void shouldChooseTheWorstNegativeRateFirst() {
    ExpertUpdatePlan plan =
        policy.plan(
            HEAD, List.of(stats(3, 40, 10, "l1"), stats(9, 40, 30, "l1"), stats(5, 40, 20, "l1")));

    assertThat(plan.chosenExperts()).containsExactly(9, 5, 3);
    assertThat(plan.decisions().get(0).reason()).contains("negative rate 0.750 over 40");
  }

  @Test
  void shouldSkipExpertsWithTooLittleFeedbackOrTooFewNegatives() {
    ExpertUpdatePlan plan =
        policy.plan(HEAD, List.of(stats(1, 9, 9, "l1"), stats(2, 100, 5, "l1")));

    assertThat(plan.chosenExperts()).isEmpty();
    assertThat(plan.decisions())
        .extracting(ExpertUpdatePlan.Decision::reason)
        .containsExactly(
            "too little feedback: 9 events, at least 10 needed",
            "negative rate too low: 0.050 is below 0.200");
  }

  @Test
  void shouldCountOnlyTheParametersTheScopeChanges() {
    ExpertUpdatePlan plan = policy.plan(HEAD, List.of(stats(4, 20, 20, "l1", "l2")));

    // two output rows of M weights and a bias each, plus the gate row of H weights and a bias
    long expected = 2 * (32 + 1) + 384 + 1;
    assertThat(plan.chosen())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.parameters()).isEqualTo(expected);
              assertThat(d.labels()).containsExactly("l1", "l2");
            });
    assertThat(plan.plannedParameters()).isEqualTo(expected);
  }

  @Test
  void shouldStopChoosingAtTheParameterBudget() {
    List<ExpertWindowStats> stats = new ArrayList<>();
    for (int e = 0; e < 60; e++) {
      stats.add(stats(e, 50, 50 - e / 2, "l3"));
    }

    ExpertUpdatePlan plan = policy.plan(HEAD, stats);

    long perExpert = 32 + 1 + 384 + 1;
    long budget = (long) Math.floor(0.01 * HEAD.expertParameters());
    assertThat(plan.parameterBudget()).isEqualTo(budget);
    assertThat(plan.chosen()).hasSize((int) (budget / perExpert));
    assertThat(plan.plannedParameters()).isLessThanOrEqualTo(budget);
    assertThat(plan.decisions().get(plan.chosen().size()).reason())
        .startsWith("over the parameter budget: needs 418 parameters");
    // worst first: the chosen ones are those with the most negatives
    List<Integer> expected = new ArrayList<>();
    for (int e = 0; e < plan.chosen().size(); e++) {
      expected.add(e);
    }
    assertThat(plan.chosenExperts()).isEqualTo(expected);
  }

  @Test
  void shouldSkipAnExpertWithoutCorrectedLabelsUnlessTheScopeCoversAllOutputs() {
    ExpertWindowStats noLabel = stats(6, 30, 30);

    assertThat(policy.plan(HEAD, List.of(noLabel)).decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.chosen()).isFalse();
              assertThat(d.reason()).startsWith("no corrected label");
            });
    ExpertUpdatePlan all =
        new ExpertSelectionPolicy(SelectionConfig.defaults().withScope(UpdateScope.ALL_OUTPUTS))
            .plan(HEAD, List.of(noLabel));
    assertThat(all.chosen())
        .singleElement()
        .satisfies(d -> assertThat(d.parameters()).isEqualTo(17 * 33 + 385));
  }

  @Test
  void shouldIgnoreLabelsOutsideTheHeadsLabelSet() {
    ExpertUpdatePlan plan = policy.plan(HEAD, List.of(stats(2, 30, 30, "l1", "not-a-label")));

    assertThat(plan.chosen().get(0).labels()).containsExactly("l1");
  }

  @Test
  void shouldGiveUnknownExpertsAReason() {
    ExpertUpdatePlan plan = policy.plan(HEAD, List.of(stats(500, 30, 30, "l1")));

    assertThat(plan.decisions().get(0).reason())
        .isEqualTo("unknown expert: the head has experts 0 to 127");
  }

  @Test
  void shouldRefuseStatisticsOfSeveralWindows() {
    ExpertWindowStats other = stats(1, 30, 30, "l1");
    other.setWindowStart(END);
    other.setWindowEnd(END.plusSeconds(7 * 24 * 3600));

    assertThatThrownBy(() -> policy.plan(HEAD, List.of(stats(0, 30, 30, "l1"), other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("several windows");
  }

  private static ExpertWindowStats stats(int expert, long count, long negatives, String... to) {
    List<LabelConfusion> confusion = new ArrayList<>();
    for (String label : to) {
      confusion.add(new LabelConfusion("l0", label, negatives));
    }
    return ExpertWindowStats.newBuilder()
        .setExpert(expert)
        .setWindowStart(START)
        .setWindowEnd(END)
        .setCount(count)
        .setNegatives(negatives)
        .setNegativeRate((double) negatives / count)
        .setConfusion(confusion)
        .build();
  }

  private static List<String> labels(int n) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      labels.add("l" + i);
    }
    return labels;
  }
}
