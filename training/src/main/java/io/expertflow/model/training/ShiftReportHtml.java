package io.expertflow.model.training;

import io.expertflow.operators.update.ShiftFigures;
import java.util.Locale;

/**
 * The report's section on a shift run: the offline weekly update on the held-out labels beside the
 * retrain it is judged against, held to the update's guard bound, and both as served where the
 * bundle serves a TF-IDF model. Part of {@link ReportHtml}; stateless.
 */
final class ShiftReportHtml {
  private ShiftReportHtml() {}

  /** The offline weekly update on the held-out labels, beside the retrain it is judged against. */
  static void write(StringBuilder h, TrainingReport r) {
    ShiftFigures u = r.shift();
    TrainingReport.Retrain retrain = r.retrain();
    TrainingReport.GuardHeld held = retrain.guardHeld();
    h.append("<h2>Weekly update on the held-out label</h2><p>The model was trained without the")
        .append(" held-out label; a week of its documents came back as corrections, and the update")
        .append(" ")
        .append(u.published() ? "was published" : "was rejected")
        .append(
            String.format(
                Locale.ROOT,
                ", changing %,d of %,d expert parameters (%.3f %%).",
                u.parametersChanged(),
                u.parametersTotal(),
                100 * u.changedShare()))
        .append(" Measured on the evaluation pool, documents of that label the update never saw,")
        .append(" and on the guard set of the other labels.</p>")
        .append("<table><tr><th class=l>model</th><th>held-out label</th><th>guard set</th>")
        .append("<th>update's share of its gain</th></tr>");
    shiftRow(h, "served, before the update", u.newLabelBefore(), u.guardBefore(), Double.NaN);
    shiftRow(h, "after the update", u.newLabelAfter(), u.guardAfter(), Double.NaN);
    shiftRow(
        h,
        "retrained from scratch with the week's documents",
        retrain.newLabelAccuracy(),
        retrain.guardAccuracy(),
        retrain.updateShare());
    shiftRow(
        h,
        "the retrain held to the update's guard bound",
        held.newLabelAccuracy(),
        held.guardAccuracy(),
        held.updateShare());
    if (retrain.served() != null) {
      shiftRow(
          h,
          "after the update, with its TF-IDF model",
          retrain.served().after(),
          Double.NaN,
          Double.NaN);
      shiftRow(
          h,
          "the retrain, with the TF-IDF model",
          retrain.served().retrain(),
          Double.NaN,
          retrain.served().updateShare());
    }
    TrainingReport.OtherLabels others = retrain.otherLabels();
    h.append("</table><p>")
        .append(
            String.format(
                Locale.ROOT,
                "On the other labels' %d validation documents, which neither the update nor its"
                    + " guard set sees, served accuracy is %s before, %s after the update and %s"
                    + " after the retrain (which stopped early on them).</p><p>",
                others.documents(),
                ReportHtml.num(others.before()),
                ReportHtml.num(others.afterUpdate()),
                ReportHtml.num(others.afterRetrain())))
        .append(ReportHtml.esc(u.reason()))
        .append("</p><p>Held to the update's bound, the retrain's held-out labels are lowered by ")
        .append(
            Double.isInfinite(held.offset())
                ? "enough never to answer them"
                : String.format(Locale.ROOT, "%.3f logits", held.offset()))
        .append(
            String.format(
                Locale.ROOT,
                ", until its guard set is within the update's bound of"
                    + " %.3f, its accuracy with those labels never answered.</p>",
                held.guardWithout()));
  }

  private static void shiftRow(
      StringBuilder h, String name, double newLabel, double guard, double updateShare) {
    h.append("<tr><td class=l>")
        .append(ReportHtml.esc(name))
        .append("</td><td>")
        .append(ReportHtml.num(newLabel))
        .append("</td><td>")
        .append(ReportHtml.num(guard))
        .append("</td><td>")
        .append(
            Double.isNaN(updateShare)
                ? "–"
                : String.format(Locale.ROOT, "%.0f %%", 100 * updateShare))
        .append("</td></tr>");
  }
}
