package io.expertflow.operators.update;

import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.privacy.PrivacySpend;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one update: the candidate weights, what changed, how they scored, and whether they
 * may be published.
 *
 * @param versionId deterministic id of the candidate version
 * @param parentVersion the version it was derived from
 * @param publish true if the candidate passed evaluation and may be served
 * @param reason why it was published or rejected, with the figures
 * @param weights the candidate weights (the parent's copy when nothing was chosen)
 * @param diff what the candidate changed, counted exactly
 * @param parametersTotal the head's expert parameters, the denominator of the changed share
 * @param before evaluation of the parent
 * @param after evaluation of the candidate
 * @param trainingFeedback feedback samples trained on
 * @param trainingReplay replayed samples trained on
 * @param holdout held-out feedback samples judged on
 * @param plan the plan the update followed
 * @param addedLabels labels the candidate added to the parent's label set (learned from the
 *     window's corrections); every expert's tensors then differ in shape from the parent's
 * @param privacy what a private update spent, or {@code null} for an update without DP (or one
 *     refused before it trained)
 */
public record UpdateResult(
    String versionId,
    String parentVersion,
    boolean publish,
    String reason,
    MoeHeadWeights weights,
    WeightDiff diff,
    long parametersTotal,
    Evaluation before,
    Evaluation after,
    int trainingFeedback,
    int trainingReplay,
    int holdout,
    ExpertUpdatePlan plan,
    List<String> addedLabels,
    PrivacySpend privacy) {
  public UpdateResult {
    addedLabels = List.copyOf(addedLabels);
    Objects.requireNonNull(versionId, "versionId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(diff, "diff");
  }

  /**
   * The experts whose tensors differ from the parent's, ascending: all of them when the candidate
   * added labels (every expert has new output rows).
   */
  public List<Integer> changedExperts() {
    if (addedLabels.isEmpty()) {
      return diff.changedExperts();
    }
    List<Integer> all = new java.util.ArrayList<>();
    for (int e = 0; e < weights.config().experts(); e++) {
      all.add(e);
    }
    return all;
  }

  /** Share of the head's expert parameters that changed. */
  public double changedShare() {
    return parametersTotal == 0 ? 0 : (double) diff.parametersChanged() / parametersTotal;
  }
}
