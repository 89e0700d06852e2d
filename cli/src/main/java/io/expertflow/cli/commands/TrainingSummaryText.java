package io.expertflow.cli.commands;

import io.expertflow.model.bundle.BundleManifest;
import io.expertflow.model.bundle.ManifestJson;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.training.TrainingReport;
import io.expertflow.operators.update.ShiftFigures;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The lines {@code expertflow train} prints about a finished run: held-out figures, load, shift.
 */
final class TrainingSummaryText {
  private TrainingSummaryText() {}

  static String summary(TrainingReport r) {
    return String.format(
            Locale.ROOT,
            "held-out: %s%nexperts: %d dead of %d on test documents, share min %.4f max %.4f;"
                + " %d dead over all %d documents, share min %.4f max %.4f%n"
                + "documents: %s; chunks embedded now %d, from cache %d; total %.1f s%nwritten to %s",
            figures(r.head()),
            r.testLoad().deadExperts(),
            r.testLoad().experts(),
            r.testLoad().minShare(),
            r.testLoad().maxShare(),
            r.documentLoad().deadExperts(),
            r.documentLoad().documents(),
            r.documentLoad().minShare(),
            r.documentLoad().maxShare(),
            r.documentsBySplit(),
            r.chunksEmbedded(),
            r.chunksFromCache(),
            r.timingsMillis().get("total") / 1000.0,
            r.outDir())
        + String.format(
            Locale.ROOT,
            "%nbaseline, a logistic regression on the same embeddings: %s"
                + "%nbaseline, TF-IDF of the documents' words with no encoder: %s"
                + "%n%s, the head with the TF-IDF model beside it (weight %.2f, chosen on"
                + " validation): %s",
            figures(r.linearProbe()),
            figures(r.tfIdf()),
            r.headWithTfIdf().served() ? "served" : "not served (the bundle serves the head)",
            r.headWithTfIdf().weight(),
            figures(r.headWithTfIdf().figures()));
  }

  /**
   * The written bundle's name, version and encoder: {@code model expertflow-demo version
   * b-3f9c2a1d4e5f (every response names it), encoder minilm-l6-v2-int8-static@a50277b1f78cd2ac}.
   */
  static String bundle(Path dir) {
    BundleManifest m = ManifestJson.read(dir.resolve(ModelBundle.MANIFEST_FILE));
    return "model "
        + m.name()
        + " version "
        + m.version()
        + " (every response names it), encoder "
        + m.encoderId();
  }

  /** Accuracy and macro-F1, and the built-in corpora's genre and spam figures where they apply. */
  static String figures(TrainingReport.Figures f) {
    String all =
        String.format(Locale.ROOT, "accuracy %.3f, macro-F1 %.3f", f.accuracy(), f.macroF1());
    if (!f.hasBuiltInCorpora()) {
      return all;
    }
    return String.format(
        Locale.ROOT,
        "genre accuracy %.3f, genre macro-F1 %.3f, spam P/R/F1 %.3f/%.3f/%.3f, overall %s",
        f.genreAccuracy(),
        f.genreMacroF1(),
        f.spamPrecision(),
        f.spamRecall(),
        f.spamF1(),
        all);
  }

  static String shiftSummary(ShiftFigures f) {
    return String.format(
        Locale.ROOT,
        "shift update: held-out label accuracy %.3f -> %.3f (%+.1f points); guard %.3f -> %.3f"
            + " (%+.1f points)%n  %d of %d expert parameters changed (%.3f %%) in %d experts;"
            + " unchanged experts bit-identical: %s%n  %s",
        f.newLabelBefore(),
        f.newLabelAfter(),
        100 * (f.newLabelAfter() - f.newLabelBefore()),
        f.guardBefore(),
        f.guardAfter(),
        100 * (f.guardAfter() - f.guardBefore()),
        f.parametersChanged(),
        f.parametersTotal(),
        100 * f.changedShare(),
        f.changedExperts().size(),
        f.unchangedExpertsIdentical() ? "yes (checked)" : "NO",
        f.reason());
  }
}
