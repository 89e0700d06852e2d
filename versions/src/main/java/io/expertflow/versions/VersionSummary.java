package io.expertflow.versions;

import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.operators.update.Evaluation;
import java.util.Locale;
import java.util.Map;

/**
 * One line per version for people: id, state, parent, changed experts, parameters changed, and
 * held-out feedback and guard-set accuracy before and after. Used by {@code expertflow updater} to
 * log each decision and by {@code expertflow versions list}; a private update adds what it spent
 * (epsilon at delta, its DP settings, its users). Stateless.
 */
public final class VersionSummary {
  private VersionSummary() {}

  /**
   * For example {@code u20240603-1a2b3c4d5e6f PUBLISHED from base-1: experts [3, 7], 836 parameters
   * (0.26 %), holdout 0.000 -> 0.420, guard 0.735 -> 0.731}.
   */
  public static String line(ModelVersion v) {
    StringBuilder s =
        new StringBuilder()
            .append(v.getVersion())
            .append(' ')
            .append(v.getState())
            .append(" from ")
            .append(v.getParentVersion() == null ? "-" : v.getParentVersion())
            .append(": experts ")
            .append(v.getChangedExperts())
            .append(", ")
            .append(v.getParametersChanged())
            .append(" parameters");
    if (v.getParametersTotal() > 0) {
      s.append(
          String.format(
              Locale.ROOT,
              " (%.2f %%)",
              100.0 * v.getParametersChanged() / v.getParametersTotal()));
    }
    if (!v.getAddedLabels().isEmpty()) {
      s.append(
          v.getState() == ModelVersionState.REJECTED
              ? ", would have added labels "
              : ", adds labels ");
      s.append(v.getAddedLabels());
    }
    s.append(", holdout ").append(change(v, Evaluation.HOLDOUT_ACCURACY));
    s.append(", guard ").append(change(v, Evaluation.GUARD_ACCURACY));
    if (v.getPrivacy() != null) {
      var p = v.getPrivacy();
      s.append(
          String.format(
              Locale.ROOT,
              ", private: epsilon %.2f at delta %.0e (noise %.2f, clip %.2f, sample rate %.3f, %d"
                  + " steps, %d users, highest user total %.2f)",
              p.getEpsilon(),
              p.getDelta(),
              p.getNoiseMultiplier(),
              p.getClipNorm(),
              p.getSampleRate(),
              p.getSteps(),
              p.getUsersCount(),
              p.getMaxUserEpsilon()));
    }
    return s.toString();
  }

  /** {@code before -> after} of one metric, {@code -} where a side lacks it. */
  public static String change(ModelVersion v, String metric) {
    return figure(v.getMetricsBefore(), metric) + " -> " + figure(v.getMetricsAfter(), metric);
  }

  private static String figure(Map<String, Double> metrics, String key) {
    Double value = metrics == null ? null : metrics.get(key);
    return value == null ? "-" : String.format(Locale.ROOT, "%.3f", value);
  }
}
