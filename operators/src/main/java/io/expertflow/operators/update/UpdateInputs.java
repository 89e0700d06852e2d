package io.expertflow.operators.update;

import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.ReplayReservoir;
import io.expertflow.operators.privacy.PrivacyLedger;
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
 * @param addedLabels labels that {@code serving} appended to the served label set for this update
 *     ({@link LabelGrowth}); empty when the update starts from the served weights themselves
 * @param privacy each feedback user's privacy spent by earlier updates (read from the version
 *     history); a private update leaves out users it would take over their budget
 */
public record UpdateInputs(
    String modelName,
    String parentVersion,
    MoeHeadWeights serving,
    ExpertUpdatePlan plan,
    List<FeedbackSample> feedback,
    ReplayReservoir replay,
    GuardSet guard,
    List<String> addedLabels,
    PrivacyLedger privacy) {
  /** Inputs of an update with no privacy spent before it. */
  public UpdateInputs(
      String modelName,
      String parentVersion,
      MoeHeadWeights serving,
      ExpertUpdatePlan plan,
      List<FeedbackSample> feedback,
      ReplayReservoir replay,
      GuardSet guard,
      List<String> addedLabels) {
    this(
        modelName,
        parentVersion,
        serving,
        plan,
        feedback,
        replay,
        guard,
        addedLabels,
        PrivacyLedger.empty());
  }

  /** Inputs of an update that adds no label. */
  public UpdateInputs(
      String modelName,
      String parentVersion,
      MoeHeadWeights serving,
      ExpertUpdatePlan plan,
      List<FeedbackSample> feedback,
      ReplayReservoir replay,
      GuardSet guard) {
    this(modelName, parentVersion, serving, plan, feedback, replay, guard, List.of());
  }

  public UpdateInputs {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(parentVersion, "parentVersion");
    Objects.requireNonNull(serving, "serving");
    Objects.requireNonNull(plan, "plan");
    feedback = List.copyOf(feedback);
    Objects.requireNonNull(replay, "replay");
    Objects.requireNonNull(guard, "guard");
    addedLabels = List.copyOf(addedLabels);
    Objects.requireNonNull(privacy, "privacy");
    List<String> labels = serving.config().labels();
    // labels learned from feedback are appended, so the bundle's reservoir and guard set keep
    // their label indices: their label sets must be the head's first labels
    if (!prefixOf(replay.labels(), labels) || !prefixOf(guard.labels(), labels)) {
      throw new IllegalArgumentException(
          "the replay reservoir and the guard set must have the head's label set, or its first"
              + " labels when labels were added from feedback; head has "
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

  /** These inputs with {@code value} as the privacy spent before. */
  public UpdateInputs withPrivacy(PrivacyLedger value) {
    return new UpdateInputs(
        modelName, parentVersion, serving, plan, feedback, replay, guard, addedLabels, value);
  }

  private static boolean prefixOf(List<String> prefix, List<String> labels) {
    return prefix.size() <= labels.size() && labels.subList(0, prefix.size()).equals(prefix);
  }
}
