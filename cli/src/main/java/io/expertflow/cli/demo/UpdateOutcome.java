package io.expertflow.cli.demo;

import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import java.util.Map;

/**
 * The updater's verdict on the week, as the demo saw it.
 *
 * @param record the version record (PUBLISHED or REJECTED) with its figures
 * @param verdictSeconds from closing the window to the verdict
 * @param servedSeconds from closing the window to the worker serving it (= verdict if rejected)
 */
public record UpdateOutcome(ModelVersion record, double verdictSeconds, double servedSeconds) {
  public boolean published() {
    return record.getState() == ModelVersionState.PUBLISHED;
  }

  /** A figure of the candidate before ({@code after = false}) or after the update, or null. */
  public Double metric(String name, boolean after) {
    Map<String, Double> m = after ? record.getMetricsAfter() : record.getMetricsBefore();
    return m == null ? null : m.get(name);
  }

  /** Share of the head's expert parameters the update changed. */
  public double changedShare() {
    return record.getParametersTotal() == 0
        ? 0
        : (double) record.getParametersChanged() / record.getParametersTotal();
  }
}
