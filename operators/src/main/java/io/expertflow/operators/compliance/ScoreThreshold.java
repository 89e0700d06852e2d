package io.expertflow.operators.compliance;

import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.LabelScore;
import java.util.Objects;

/**
 * A bound on one label's score: holds when the response scores {@code label} at least {@code
 * atLeast} (if set) and below {@code below} (if set). A label the response does not score counts as
 * score 0.
 *
 * @param label label name from the model's label set
 * @param atLeast inclusive lower bound in [0, 1], or {@code null}
 * @param below exclusive upper bound in [0, 1], or {@code null}
 */
public record ScoreThreshold(String label, Double atLeast, Double below) {

  public ScoreThreshold {
    Objects.requireNonNull(label, "label");
    if (atLeast == null && below == null) {
      throw new IllegalArgumentException(
          "score threshold on label '" + label + "' needs at_least or below (or both)");
    }
    checkUnit("at_least", atLeast, label);
    checkUnit("below", below, label);
  }

  /** Whether {@code response}'s score of {@link #label} lies within the bounds. */
  public boolean holds(InferenceResponse response) {
    double score = scoreOf(response, label);
    return (atLeast == null || score >= atLeast) && (below == null || score < below);
  }

  static double scoreOf(InferenceResponse response, String label) {
    for (LabelScore s : response.getLabels()) {
      if (label.contentEquals(s.getLabel())) {
        return s.getScore();
      }
    }
    return 0.0;
  }

  private static void checkUnit(String name, Double value, String label) {
    if (value != null && !(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(
          "score threshold " + name + " on label '" + label + "' must lie in [0, 1], was " + value);
    }
  }
}
