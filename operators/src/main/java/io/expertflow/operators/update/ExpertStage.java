package io.expertflow.operators.update;

import io.expertflow.operators.moe.DpSgd;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeParameterMask;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-expert stage of an {@link ExpertUpdater} update: fine-tunes the candidate in place, only
 * the parameters the plan's scope allows in the experts it chose, on the window's feedback
 * (weighted by {@link UpdateConfig#feedbackWeight()}) and those experts' replayed training samples;
 * with DP, one clipped and noised gradient per feedback user ({@link PrivateTraining}).
 */
final class ExpertStage {
  private ExpertStage() {}

  /**
   * Runs the stage.
   *
   * @param anchors replayed embeddings whose routing the stage holds in place (may be empty)
   * @param dp the update's private training, or null for a non-private update
   * @param privately the feedback users a private update spends on; null with {@code dp}
   */
  static void train(
      UpdateConfig config,
      MoeHeadWeights candidate,
      ExpertUpdatePlan plan,
      List<FeedbackSample> train,
      List<LabeledEmbedding> replay,
      List<float[]> anchors,
      PrivateTraining dp,
      PrivateFeedback.Selection privately) {
    MoeHeadConfig head = candidate.config();
    List<LabeledEmbedding> samples = new ArrayList<>();
    train.forEach(s -> samples.add(s.toLabeled()));
    samples.addAll(replay);
    float[] weights = new float[samples.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = i < train.size() ? (float) config.feedbackWeight() : 1f;
    }
    RoutingAnchors routing =
        new RoutingAnchors(
            candidate,
            anchors,
            config.routingPullWeight() == 0
                ? List.of()
                : train.stream().map(FeedbackSample::toLabeled).toList());
    ScopedFineTuning tuning =
        new ScopedFineTuning(candidate, mask(plan, head), config.learningRate());
    if (dp == null) {
      tuning.train(samples, weights, routing, config);
      return;
    }
    // units: each feedback user's samples together, then each replayed sample alone
    List<int[]> units = new ArrayList<>(privately.users());
    for (int i = train.size(); i < samples.size(); i++) {
      units.add(new int[] {i});
    }
    DpSgd stage = dp.experts(units.size());
    dp.spent(
        stage,
        tuning.trainPrivately(
            samples, weights, units, privately.users().size(), routing, config, stage));
  }

  private static MoeParameterMask mask(ExpertUpdatePlan plan, MoeHeadConfig head) {
    MoeParameterMask.Builder mask = MoeParameterMask.builder(head);
    for (ExpertUpdatePlan.Decision d : plan.chosen()) {
      int e = d.expert();
      for (int r = 0; r < head.labelCount(); r++) {
        if (plan.scope().updatesAllOutputs() || d.labels().contains(head.labels().get(r))) {
          mask.outputRow(e, r);
        }
      }
      if (plan.scope().updatesHiddenLayer()) {
        mask.firstLayer(e);
      }
      if (plan.scope().updatesGate()) {
        mask.gateRow(e);
      }
    }
    return mask.build();
  }
}
