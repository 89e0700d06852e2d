package io.expertflow.streams.console;

import io.expertflow.avro.ModelVersion;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The model versions page: each model's history with its figures and the served version. */
final class VersionPages {
  private VersionPages() {}

  /**
   * @param mayRollBack whether to offer the rollback buttons (an operator, and the app can roll
   *     back)
   * @param message a line to show first (the rollback just done, or why it was refused), or null
   */
  static String page(
      Map<String, ModelVersionReader.ModelHistory> models, boolean mayRollBack, String message) {
    Html h = new Html().begin("Model versions", "versions", null);
    if (message != null) {
      h.raw("<p class=\"ok\" role=\"status\" id=\"message\">").text(message).raw("</p>");
    }
    h.raw("<p>Every version the weekly update published, rejected or rolled back, newest first,")
        .raw(" from the <code>model-versions</code> topic. ")
        .raw(
            mayRollBack
                ? "As an operator you may serve an earlier published version (or the base"
                    + " bundle) again: every worker hot-loads it between batches."
                : "Rolling back needs an operator's sign-in (or <code>expertflow versions"
                    + " rollback</code>).")
        .raw("</p>");
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
      h.raw("<th scope=\"col\">Reason</th>");
      if (mayRollBack) {
        h.raw("<th scope=\"col\">Rollback</th>");
      }
      h.raw("</tr></thead><tbody>");
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
        h.raw("<td>").text(v.getReason() == null ? "" : v.getReason()).raw("</td>");
        if (mayRollBack) {
          h.raw("<td>");
          if (!served && "PUBLISHED".equals(String.valueOf(v.getState()))) {
            rollbackForm(h, m.model(), v.getVersion());
          }
          h.raw("</td>");
        }
        h.raw("</tr>");
      }
      h.raw("</tbody></table>");
      String base = baseVersion(m);
      if (mayRollBack && base != null && m.serving() != null) {
        h.raw("<p>The base bundle's version ").text(base).raw(": ");
        rollbackForm(h, m.model(), base);
        h.raw("</p>");
      }
      h.raw("</section>");
    }
    return h.end();
  }

  /** A form that rolls {@code model} back to {@code version}, with the operator's reason. */
  private static void rollbackForm(Html h, String model, String version) {
    String id = "rollback-" + Math.abs((model + "@" + version).hashCode());
    h.raw("<form class=\"rollback\" method=\"post\" action=\"/console/versions/rollback\">")
        .raw("<input type=\"hidden\" name=\"model\" value=\"")
        .text(model)
        .raw("\"><input type=\"hidden\" name=\"version\" value=\"")
        .text(version)
        .raw("\"><label for=\"")
        .raw(id)
        .raw("\">Reason<input id=\"")
        .raw(id)
        .raw("\" name=\"reason\" required></label><button type=\"submit\">Serve ")
        .text(version)
        .raw(" again</button></form>");
  }

  /** The version the oldest update started from: the base bundle's, when no record names it. */
  private static String baseVersion(ModelVersionReader.ModelHistory m) {
    java.util.Set<String> known = new java.util.HashSet<>();
    m.versions().forEach(v -> known.add(v.getVersion()));
    for (ModelVersion v : m.versions()) {
      if (v.getParentVersion() != null && !known.contains(v.getParentVersion())) {
        return v.getParentVersion();
      }
    }
    return null;
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
