package io.expertflow.versions;

import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.operators.update.UpdateResult;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link ModelVersion} records of update outcomes and rollbacks. Stateless. */
public final class ModelVersionRecords {
  private ModelVersionRecords() {}

  /**
   * The record of an update's outcome: PUBLISHED if it passed, else REJECTED. A published version's
   * {@code expert_versions} is the parent's with every changed expert pointing at the new version;
   * a rejected one keeps the parent's (its tensors are never published).
   *
   * @param parent the serving version the update started from; {@code null} for the base bundle
   */
  public static ModelVersion ofUpdate(
      BaseModel base, ModelVersion parent, UpdateResult result, Instant now) {
    Map<String, String> experts = new TreeMap<>();
    if (parent != null) {
      experts.putAll(parent.getExpertVersions());
    }
    if (result.publish()) {
      for (int e : result.changedExperts()) {
        experts.put(Integer.toString(e), result.versionId());
      }
    }
    return ModelVersion.newBuilder()
        .setModelName(base.name())
        .setVersion(result.versionId())
        .setParentVersion(result.parentVersion())
        .setBaseBundleSha256(base.sha256())
        .setState(result.publish() ? ModelVersionState.PUBLISHED : ModelVersionState.REJECTED)
        .setChangedExperts(result.changedExperts())
        .setExpertVersions(new LinkedHashMap<>(experts))
        .setParametersChanged(result.diff().parametersChanged())
        .setParametersTotal(result.parametersTotal())
        .setWindowStart(result.plan().windowStart().toEpochMilli())
        .setMetricsBefore(metrics(result, result.before().toMap(), false))
        .setMetricsAfter(metrics(result, result.after().toMap(), true))
        .setLabels(labelsOf(base, parent, result))
        .setAddedLabels(result.addedLabels())
        .setPrivacy(result.privacy() == null ? null : PrivacyRecords.of(result.privacy()))
        .setReason(result.reason())
        .setCreatedAt(now)
        .build();
  }

  /**
   * The label set a record names: the candidate's when it is published and differs from the
   * bundle's, else the parent's (a rejected version is never served, so its parent's labels stay
   * what its {@code expert_versions} can be rebuilt with); empty means the bundle's.
   */
  private static List<String> labelsOf(BaseModel base, ModelVersion parent, UpdateResult result) {
    if (result.publish()) {
      List<String> labels = result.weights().config().labels();
      return labels.equals(base.weights().config().labels()) ? List.of() : labels;
    }
    return parent == null ? List.of() : List.copyOf(parent.getLabels());
  }

  /**
   * A ROLLBACK record: serve {@code target} (an earlier published version) again, named by its own
   * id and experts, with {@code from} as the version it replaces.
   */
  public static ModelVersion rollback(
      ModelVersion target, String from, String reason, Instant now) {
    if (target.getState() == ModelVersionState.REJECTED) {
      throw new IllegalArgumentException(
          "version " + target.getVersion() + " was rejected and cannot be served");
    }
    return ModelVersion.newBuilder(target)
        .setState(ModelVersionState.ROLLBACK)
        .setParentVersion(from)
        .setReason(reason)
        .setCreatedAt(now)
        .build();
  }

  /** A ROLLBACK record that serves the base bundle itself again, with no expert updated. */
  public static ModelVersion rollbackToBase(
      BaseModel base, String from, String reason, Instant now) {
    return ModelVersion.newBuilder()
        .setModelName(base.name())
        .setVersion(base.version())
        .setParentVersion(from)
        .setBaseBundleSha256(base.sha256())
        .setState(ModelVersionState.ROLLBACK)
        .setReason(reason)
        .setCreatedAt(now)
        .build();
  }

  private static Map<String, Double> metrics(
      UpdateResult r, Map<String, Double> evaluation, boolean after) {
    Map<String, Double> m = new LinkedHashMap<>(evaluation);
    m.put("holdout_count", (double) r.holdout());
    if (after) {
      m.put("train_feedback_count", (double) r.trainingFeedback());
      m.put("train_replay_count", (double) r.trainingReplay());
      m.put("parameters_changed_share", r.changedShare());
    }
    return m;
  }
}
