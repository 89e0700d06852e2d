package io.expertflow.operators.update;

import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.ReplayReservoir;
import java.util.List;
import java.util.Objects;

/**
 * Everything one update learns from and is judged on.
 *
 * @param modelName the model's name (part of the version id)
 * @param parentVersion the version being served, which the update starts from
 * @param serving the served weights; never mutated
 * @param plan the experts to update and the parameters they may change
 * @param feedback the window's usable feedback, training and held-out parts together
 * @param replay per-expert training samples that the chosen experts already route
 * @param guard the fixed set that the update must not regress
 */
public record UpdateInputs(
    String modelName,
    String parentVersion,
    MoeHeadWeights serving,
    ExpertUpdatePlan plan,
    List<FeedbackSample> feedback,
    ReplayReservoir replay,
    GuardSet guard) {
  public UpdateInputs {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(parentVersion, "parentVersion");
    Objects.requireNonNull(serving, "serving");
    Objects.requireNonNull(plan, "plan");
    feedback = List.copyOf(feedback);
    Objects.requireNonNull(replay, "replay");
    Objects.requireNonNull(guard, "guard");
    if (!replay.labels().equals(serving.config().labels())
        || !guard.labels().equals(serving.config().labels())) {
      throw new IllegalArgumentException(
          "the replay reservoir, the guard set and the head must share one label set; head has "
              + serving.config().labels()
              + ", reservoir "
              + replay.labels()
              + ", guard set "
              + guard.labels());
    }
    if (guard.dim() != serving.config().hidden()) {
      throw new IllegalArgumentException(
          "guard set embeddings have "
              + guard.dim()
              + " values, the head expects "
              + serving.config().hidden());
    }
    if (replay.experts() != serving.config().experts()) {
      throw new IllegalArgumentException(
          "the replay reservoir has "
              + replay.experts()
              + " experts, the head "
              + serving.config().experts());
    }
  }
}
