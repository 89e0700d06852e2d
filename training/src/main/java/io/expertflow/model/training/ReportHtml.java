package io.expertflow.model.training;

import io.expertflow.operators.moe.ExpertLoad;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.html} beside a trained bundle: one self-contained page (inline CSS and SVG, nothing
 * fetched) with the head's held-out figures against the logistic-regression baseline, per label
 * precision, recall, F1 and support, the confusion matrix as a heat map, the worst-confused pairs
 * with example document ids, and the expert load. Never any document text. Stateless.
 */
final class ReportHtml {
  static final String FILE = "report.html";
  private static final int CONFUSIONS = 10;

  private ReportHtml() {}

  static void write(Path file, TrainingReport report, HeldOutEvaluation evaluation)
      throws IOException {
    StringBuilder h = new StringBuilder(32_768);
    h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>expertflow training report</title><style>")
        .append("body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222;max-width:70em}")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em}")
        .append("td,th{border:1px solid #ccc;padding:.25em .5em;text-align:right}")
        .append("th{background:#f3f3f3}td.l,th.l{text-align:left}")
        .append(".heat td{min-width:2.2em;font-size:12px}</style></head><body>")
        .append("<h1>Training report</h1><p>Written to ")
        .append(esc(report.outDir().toString()))
        .append(". Documents by split: ")
        .append(esc(report.documentsBySplit().toString()))
        .append(". Best epoch: ")
        .append(report.bestEpoch())
        .append(".</p>");
    figures(h, report);
    perLabel(h, evaluation);
    heatMap(h, evaluation.head());
    confusions(h, evaluation.worstConfusions(CONFUSIONS));
    load(h, report);
    if (report.hasShift()) {
      ShiftReportHtml.write(h, report);
    }
    h.append("</body></html>\n");
    Files.writeString(file, h, StandardCharsets.UTF_8);
  }

  private static void figures(StringBuilder h, TrainingReport r) {
    h.append("<h2>Held-out test figures</h2><table><tr><th class=l>figure</th>")
        .append("<th>MoE head</th><th>logistic regression</th><th>TF-IDF, no encoder</th>")
        .append("<th>head with TF-IDF beside it")
        .append(r.headWithTfIdf().served() ? ", served" : ", not served")
        .append("</th></tr>");
    TrainingReport.Figures m = r.head();
    TrainingReport.Figures p = r.linearProbe();
    TrainingReport.Figures t = r.tfIdf();
    TrainingReport.Figures c = r.headWithTfIdf().figures();
    row(h, "accuracy", m.accuracy(), p.accuracy(), t.accuracy(), c.accuracy());
    row(h, "macro-F1", m.macroF1(), p.macroF1(), t.macroF1(), c.macroF1());
    if (m.hasBuiltInCorpora()) {
      row(
          h,
          "Brown genre accuracy",
          m.genreAccuracy(),
          p.genreAccuracy(),
          t.genreAccuracy(),
          c.genreAccuracy());
      row(
          h,
          "Brown genre macro-F1",
          m.genreMacroF1(),
          p.genreMacroF1(),
          t.genreMacroF1(),
          c.genreMacroF1());
      row(h, "spam F1", m.spamF1(), p.spamF1(), t.spamF1(), c.spamF1());
    }
    h.append("</table><p>The last column multiplies the head's probabilities by the TF-IDF")
        .append(" model's to the power ")
        .append(num(r.headWithTfIdf().weight()))
        .append(" (chosen on validation; 0 is the head alone). ")
        .append(
            r.headWithTfIdf().served()
                ? "The bundle serves it: workers and analyze answer with the two together."
                : "The TF-IDF model added nothing on validation: the bundle serves the head alone.")
        .append("</p>");
  }

  private static void row(StringBuilder h, String name, double... values) {
    h.append("<tr><td class=l>").append(esc(name)).append("</td>");
    for (double v : values) {
      h.append("<td>").append(num(v)).append("</td>");
    }
    h.append("</tr>");
  }

  private static void perLabel(StringBuilder h, HeldOutEvaluation e) {
    ClassificationMetrics m = e.head();
    ClassificationMetrics b = e.baseline();
    long[][] c = m.confusion();
    h.append("<h2>Per label</h2><table><tr><th class=l>label</th><th>support</th>")
        .append("<th>precision</th><th>recall</th><th>F1</th>")
        .append("<th>baseline P</th><th>baseline R</th><th>baseline F1</th></tr>");
    List<String> labels = m.labels();
    for (int i = 0; i < labels.size(); i++) {
      String l = labels.get(i);
      long support = 0;
      for (long v : c[i]) {
        support += v;
      }
      h.append("<tr><td class=l>").append(esc(l)).append("</td><td>").append(support);
      for (double v :
          new double[] {
            m.precision(l), m.recall(l), m.f1(l), b.precision(l), b.recall(l), b.f1(l)
          }) {
        h.append("</td><td>").append(num(v));
      }
      h.append("</td></tr>");
    }
    h.append("</table>");
  }

  private static void heatMap(StringBuilder h, ClassificationMetrics m) {
    long[][] c = m.confusion();
    List<String> labels = m.labels();
    h.append("<h2>Confusion matrix (head)</h2><p>Rows: true label; columns: predicted.")
        .append(" Shade: share of the row.</p><table class=heat><tr><th class=l></th>");
    for (int i = 0; i < labels.size(); i++) {
      h.append("<th title=\"").append(esc(labels.get(i))).append("\">").append(i).append("</th>");
    }
    h.append("</tr>");
    for (int a = 0; a < c.length; a++) {
      long total = 0;
      for (long v : c[a]) {
        total += v;
      }
      h.append("<tr><th class=l>").append(a).append(' ').append(esc(labels.get(a))).append("</th>");
      for (int p = 0; p < c.length; p++) {
        double share = total == 0 ? 0 : (double) c[a][p] / total;
        String hue = a == p ? "30,120,60" : "200,40,40";
        h.append(
            String.format(
                Locale.ROOT,
                "<td style=\"background:rgba(%s,%.2f)\">%s</td>",
                hue,
                share,
                c[a][p] == 0 ? "" : Long.toString(c[a][p])));
      }
      h.append("</tr>");
    }
    h.append("</table>");
  }

  private static void confusions(StringBuilder h, List<HeldOutEvaluation.Confusion> worst) {
    h.append("<h2>Worst-confused pairs</h2>");
    if (worst.isEmpty()) {
      h.append("<p>None: every test document got its label.</p>");
      return;
    }
    h.append("<table><tr><th class=l>true label</th><th class=l>predicted</th><th>documents</th>")
        .append("<th class=l>example ids</th></tr>");
    for (HeldOutEvaluation.Confusion c : worst) {
      h.append("<tr><td class=l>")
          .append(esc(c.actual()))
          .append("</td><td class=l>")
          .append(esc(c.predicted()))
          .append("</td><td>")
          .append(c.count())
          .append("</td><td class=l>")
          .append(esc(String.join(", ", c.exampleIds())))
          .append("</td></tr>");
    }
    h.append("</table>");
  }

  private static void load(StringBuilder h, TrainingReport r) {
    ExpertLoad all = r.documentLoad();
    h.append("<h2>Expert load</h2><p>")
        .append(
            String.format(
                Locale.ROOT,
                "Over all %d documents: %d of %d experts idle, share min %.2f %% max %.2f %%,"
                    + " coefficient of variation %.2f. On the test documents: %d idle.",
                all.documents(),
                all.deadExperts(),
                all.experts(),
                100 * all.minShare(),
                100 * all.maxShare(),
                all.coefficientOfVariation(),
                r.testLoad().deadExperts()))
        .append("</p>");
    int n = all.experts();
    double max = Math.max(all.maxShare(), 1e-9);
    int width = 4;
    h.append(
        String.format(
            Locale.ROOT,
            "<svg role=img aria-label=\"share of documents per expert\" width=\"%d\" height=\"120\""
                + " viewBox=\"0 0 %d 120\" style=\"border:1px solid #ccc\">",
            n * width,
            n * width));
    for (int e = 0; e < n; e++) {
      double height = 110 * all.share(e) / max;
      h.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#4a7bb7\"><title>expert"
                  + " %d: %.2f %%</title></rect>",
              e * width,
              120 - height,
              width - 1,
              height,
              e,
              100 * all.share(e)));
    }
    h.append("</svg>");
  }

  static String num(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
