package io.expertflow.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's HTML report: one self-contained file (inline SVG and CSS, no script, nothing fetched)
 * with latency over time, batch sizes, expert load, accuracy before and after the update, and the
 * run's facts. Stateless.
 */
public final class DemoReport {
  private static final Map<String, String> PHASE_COLORS =
      Map.of("bulk", "#1f77b4", "week", "#ff7f0e", "after", "#2ca02c");

  private DemoReport() {}

  /** Writes the report of {@code outcome} to {@code file}. */
  public static void write(DemoOutcome outcome, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, html(outcome), StandardCharsets.UTF_8);
  }

  /**
   * Writes the report file's first version, while the demo runs: where the console is (it answers
   * only while the stack runs) and that the figures follow. The finished report replaces it.
   */
  public static void writeRunning(Optional<String> consoleUrl, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>")
        .append("<meta http-equiv='refresh' content='10'>")
        .append("<title>expertflow demo report (running)</title></head><body>")
        .append("<h1>expertflow demo: running</h1>");
    consoleUrl.ifPresent(
        url ->
            b.append("<p>While the demo runs, its console shows the review queue, the jobs and")
                .append(" the model versions as they change: <a href='")
                .append(SvgChart.esc(url))
                .append("'>")
                .append(SvgChart.esc(url))
                .append("</a> (this machine only).</p>"));
    b.append("<p>This page is replaced by the report with the run's figures when the demo ends;")
        .append(" it reloads itself every 10 seconds.</p></body></html>");
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }

  /** The report as HTML. */
  public static String html(DemoOutcome o) {
    DemoSummary s = o.summary();
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>")
        .append("<title>expertflow demo report</title><style>")
        .append("body{font-family:sans-serif;max-width:720px;margin:24px auto;color:#222}")
        .append("h1{font-size:22px}h2{font-size:16px;margin-top:28px}")
        .append("table{border-collapse:collapse}td{padding:2px 12px 2px 0}")
        .append(".note{color:#555;font-size:13px}</style></head><body>");
    b.append("<h1>expertflow demo</h1>");
    b.append("<p>").append(SvgChart.esc(story(o))).append("</p>");
    b.append("<h2>Accuracy before and after the weekly update</h2>");
    b.append(accuracy(s));
    b.append("<p class='note'>All and '")
        .append(SvgChart.esc(String.valueOf(s.newLabel())))
        .append("': the same held-out documents, sent through Kafka before and after the update.")
        .append(" Guard: the updater's fixed set of labelled documents; a rejected update's")
        .append(" candidate is shown, and never served.</p>");
    b.append("<h2>Latency over time</h2>");
    b.append(latency(o));
    b.append("<p class='note'>Each point is one response: submission to the response being")
        .append(" produced, by the time it arrived. Documents are sent in bursts, so latency is")
        .append(" mostly the queue of the burst.</p>");
    b.append("<h2>Encoder batch size over time</h2>");
    b.append(batches(o));
    b.append("<h2>Expert load</h2>");
    b.append(expertLoad(o));
    b.append("<p class='note'>Documents routed to each of the base experts (top-k per document),")
        .append(" over the whole run.</p>");
    b.append("<h2>Run facts</h2>").append(facts(s));
    return b.append("</body></html>").toString();
  }

  private static String story(DemoOutcome o) {
    DemoSummary s = o.summary();
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "%d requests went through intake, the worker (%s) and compliance: %d responses, %d dead"
                + " letters, %d lost, %d duplicates.",
            s.submitted(),
            s.device(),
            s.responses(),
            s.deadLetters(),
            s.lost(),
            s.duplicates()));
    if (o.week() != null && s.newLabel() != null) {
      t.append(
          String.format(
              Locale.ROOT,
              " The model was trained without the '%s' label; a simulated week brought %d such"
                  + " documents and %d feedback events with their true labels. When the window"
                  + " closed the updater %s version %s",
              s.newLabel(),
              o.week().traffic().submitted(),
              o.week().feedbackEvents(),
              s.updatePublished() ? "published" : "rejected",
              o.update() == null ? "?" : o.update().record().getVersion()));
      t.append(
          s.updatePublished()
              ? String.format(
                  Locale.ROOT,
                  "%s, changing %d experts (%.3f %% of the expert parameters), and the worker"
                      + " hot-loaded it without a restart.",
                  s.addedLabels().isEmpty()
                      ? ""
                      : ", which adds "
                          + s.addedLabels().stream()
                              .map(l -> "'" + l + "'")
                              .collect(java.util.stream.Collectors.joining(", "))
                          + " to the label set",
                  s.expertsChanged(),
                  s.parametersChangedShare() == null ? 0 : 100 * s.parametersChangedShare())
              : ".");
    }
    return t.toString();
  }

  private static String accuracy(DemoSummary s) {
    List<SvgChart.Bar> bars = new ArrayList<>();
    add(bars, "all, before", s.accuracy(), "#9ecae1");
    add(bars, "all, after", s.accuracyAfterUpdate(), "#3182bd");
    add(bars, "'" + s.newLabel() + "', before", s.newLabelAccuracy(), "#fdae6b");
    add(bars, "'" + s.newLabel() + "', after", s.newLabelAccuracyAfterUpdate(), "#e6550d");
    add(bars, "guard, before", s.guardAccuracy(), "#a1d99b");
    boolean rejected = s.updateRejected();
    add(
        bars,
        rejected ? "guard, candidate" : "guard, after",
        s.guardAccuracyAfterUpdate(),
        "#31a354");
    if (bars.isEmpty()) {
      return "<p>No accuracy: the documents carried no labels.</p>";
    }
    return SvgChart.bars(bars, "accuracy", 1.0, true);
  }

  private static void add(List<SvgChart.Bar> bars, String label, Double value, String color) {
    if (value != null) {
      bars.add(new SvgChart.Bar(label, value, color));
    }
  }

  private static String latency(DemoOutcome o) {
    List<SvgChart.Point> points = new ArrayList<>();
    for (RunTimeline.LatencyPoint p : o.timeline().latencies()) {
      points.add(
          new SvgChart.Point(
              p.seconds(), p.latencyMs(), PHASE_COLORS.getOrDefault(p.phase(), "#555")));
    }
    return SvgChart.points(points, bands(o), "seconds since start", "latency (ms)", false);
  }

  private static String batches(DemoOutcome o) {
    List<SvgChart.Point> points = new ArrayList<>();
    for (RunTimeline.BatchPoint p : o.timeline().batches()) {
      points.add(new SvgChart.Point(p.seconds(), p.meanBatchSize(), "#6a51a3"));
    }
    return SvgChart.points(points, bands(o), "seconds since start", "chunks per batch", true);
  }

  private static List<SvgChart.Band> bands(DemoOutcome o) {
    return o.timeline().phases().stream()
        .map(p -> new SvgChart.Band(p.startSeconds(), p.endSeconds(), p.phase()))
        .toList();
  }

  private static String expertLoad(DemoOutcome o) {
    int experts = o.expertLoad().keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    List<SvgChart.Bar> bars = new ArrayList<>();
    for (int e = 0; e < experts; e++) {
      bars.add(new SvgChart.Bar("expert " + e, o.expertLoad().getOrDefault(e, 0L), "#756bb1"));
    }
    return SvgChart.bars(bars, "documents", 0, false);
  }

  private static String facts(DemoSummary s) {
    StringBuilder t = new StringBuilder("<table>");
    Iterator<Map.Entry<String, JsonNode>> it = s.toJson().fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String v = e.getValue().isNull() ? "n/a" : e.getValue().asText();
      if (e.getValue().isDouble()) {
        v = String.format(Locale.ROOT, "%.4g", e.getValue().asDouble());
      }
      t.append("<tr><td>")
          .append(SvgChart.esc(e.getKey()))
          .append("</td><td>")
          .append(SvgChart.esc(v))
          .append("</td></tr>");
    }
    return t.append("</table>").toString();
  }
}
