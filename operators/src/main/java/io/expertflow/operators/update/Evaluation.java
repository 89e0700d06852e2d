package io.expertflow.operators.update;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accuracy of one weight set on the held-out feedback, the guard set and the replayed samples.
 *
 * @param holdoutAccuracy share of held-out feedback answered right
 * @param guardAccuracy share of the guard set answered right
 * @param replayAccuracy share of the chosen experts' replayed training samples answered right (NaN
 *     where an update's stages only compare candidates)
 */
public record Evaluation(double holdoutAccuracy, double guardAccuracy, double replayAccuracy) {
  public static final String HOLDOUT_ACCURACY = "holdout_accuracy";
  public static final String GUARD_ACCURACY = "guard_accuracy";
  public static final String REPLAY_ACCURACY = "replay_accuracy";

  /** The figures under stable names, as a model version record carries them. */
  public Map<String, Double> toMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(HOLDOUT_ACCURACY, holdoutAccuracy);
    m.put(GUARD_ACCURACY, guardAccuracy);
    m.put(REPLAY_ACCURACY, replayAccuracy);
    return m;
  }
}
