package io.expertflow.streams.console;

import io.expertflow.avro.ModelVersion;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The model versions page: each model's history with its figures and the served version. */
final class VersionPages {
  private VersionPages() {}

  static String page(Map<String, ModelVersionReader.ModelHistory> models) {
    Html h = new Html().begin("Model versions", "versions", null);
    h.raw("<p>Every version the weekly update published, rejected or rolled back, newest first,")
        .raw(" from the <code>model-versions</code> topic. Rolling back is done with")
        .raw(" <code>expertflow versions rollback</code> until the console has an operator")
        .raw(" role.</p>");
    if (models.isEmpty()) {
      h.raw("<p>No model versions yet: the weekly update has not written any.</p>");
      return h.end();
    }
    for (ModelVersionReader.ModelHistory m : models.values()) {
      h.raw("<section><h2>")
          .text(m.model())
          .raw("</h2><p id=\"serving-")
          .text(m.model())
          .raw("\">Served version: <strong>")
          .text(
              m.serving() == null
                  ? "the base bundle (no update published)"
                  : m.serving().getVersion())
          .raw("</strong>");
      if (m.serving() != null) {
        h.text(" (" + m.serving().getState() + ", since " + m.serving().getCreatedAt() + ")");
      }
      h.raw("</p>");
      if (m.versions().isEmpty()) {
        h.raw("<p>No history records.</p></section>");
        continue;
      }
      TreeSet<String> metrics = new TreeSet<>();
      for (ModelVersion v : m.versions()) {
        metrics.addAll(v.getMetricsBefore().keySet());
        metrics.addAll(v.getMetricsAfter().keySet());
      }
      h.raw("<table><caption>History of ")
          .text(m.model())
          .raw("</caption><thead><tr>")
          .raw("<th scope=\"col\">Version</th><th scope=\"col\">State</th>")
          .raw("<th scope=\"col\">Parent</th><th scope=\"col\">Created</th>")
          .raw("<th scope=\"col\">Feedback week</th><th scope=\"col\">Experts changed</th>")
          .raw("<th scope=\"col\" class=\"n\">Parameters changed</th>");
      for (String metric : metrics) {
        h.raw("<th scope=\"col\">").text(metric + " before → after").raw("</th>");
      }
      h.raw("<th scope=\"col\">Reason</th></tr></thead><tbody>");
      for (ModelVersion v : m.versions()) {
        boolean served = m.serving() != null && m.serving().getVersion().equals(v.getVersion());
        h.raw("<tr><th scope=\"row\">")
            .text(v.getVersion())
            .text(served ? " (served)" : "")
            .raw("</th><td>")
            .text(v.getState())
            .raw("</td><td>")
            .text(v.getParentVersion() == null ? "-" : v.getParentVersion())
            .raw("</td><td>")
            .text(v.getCreatedAt())
            .raw("</td><td>")
            .text(Html.time(v.getWindowStart()))
            .raw("</td><td>")
            .text(v.getChangedExperts())
            .raw("</td><td class=\"n\">")
            .text(parameters(v))
            .raw("</td>");
        for (String metric : metrics) {
          h.raw("<td class=\"n\">")
              .text(
                  figure(v.getMetricsBefore(), metric)
                      + " → "
                      + figure(v.getMetricsAfter(), metric))
              .raw("</td>");
        }
        h.raw("<td>").text(v.getReason() == null ? "" : v.getReason()).raw("</td></tr>");
      }
      h.raw("</tbody></table></section>");
    }
    return h.end();
  }

  private static String parameters(ModelVersion v) {
    if (v.getParametersTotal() <= 0) {
      return Html.number(v.getParametersChanged());
    }
    return String.format(
        Locale.ROOT,
        "%,d of %,d (%.2f %%)",
        v.getParametersChanged(),
        v.getParametersTotal(),
        100.0 * v.getParametersChanged() / v.getParametersTotal());
  }

  private static String figure(Map<String, Double> metrics, String key) {
    Double value = metrics == null ? null : metrics.get(key);
    return value == null ? "-" : String.format(Locale.ROOT, "%.3f", value);
  }
}
