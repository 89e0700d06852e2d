package io.expertflow.operators.update;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an update of one closed feedback window will change: a decision with its reason for every
 * expert that received feedback, in the order the policy considered them (worst first). Immutable.
 *
 * @param windowStart inclusive start of the feedback window
 * @param windowEnd exclusive end of the feedback window
 * @param scope which parameters of a chosen expert change
 * @param parameterBudget the most scalar parameters the update may change
 * @param decisions one per expert with statistics in the window
 */
public record ExpertUpdatePlan(
    Instant windowStart,
    Instant windowEnd,
    UpdateScope scope,
    long parameterBudget,
    List<Decision> decisions) {

  public ExpertUpdatePlan {
    Objects.requireNonNull(windowStart, "windowStart");
    Objects.requireNonNull(windowEnd, "windowEnd");
    Objects.requireNonNull(scope, "scope");
    decisions = List.copyOf(decisions);
  }

  /** The decisions that chose an expert, worst first. */
  public List<Decision> chosen() {
    return decisions.stream().filter(Decision::chosen).toList();
  }

  /** The chosen experts, worst first. */
  public List<Integer> chosenExperts() {
    return chosen().stream().map(Decision::expert).toList();
  }

  /** The parameters the chosen experts may change, in total; at most {@link #parameterBudget}. */
  public long plannedParameters() {
    return chosen().stream().mapToLong(Decision::parameters).sum();
  }

  public boolean isEmpty() {
    return chosen().isEmpty();
  }

  /**
   * The policy's verdict on one expert.
   *
   * @param expert base expert
   * @param chosen whether the update changes it
   * @param reason why, in words a person can act on
   * @param labels labels the expert's feedback corrected to (the output rows that may change under
   *     {@link UpdateScope#FEEDBACK_LABEL_OUTPUTS}), sorted
   * @param parameters scalar parameters the update may change in this expert (0 when not chosen)
   */
  public record Decision(
      int expert, boolean chosen, String reason, List<String> labels, long parameters) {
    public Decision {
      Objects.requireNonNull(reason, "reason");
      labels = List.copyOf(labels);
    }
  }
}
