package io.expertflow.model.training;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The figures {@link RunComparison} reads from a training run's {@code metrics.json}, in order. */
final class RunFigures {
  private RunFigures() {}

  /** A figure: its section, name, unit, and how to read it (NaN where a run lacks it). */
  record Figure(
      String section, String name, RunComparison.Unit unit, ToDoubleFunction<JsonNode> of) {}

  static final List<Figure> ALL = all();

  private static List<Figure> all() {
    List<Figure> f = new ArrayList<>();
    String[][] measures = {
      {"accuracy", "accuracy"},
      {"genre accuracy", "genre_accuracy"},
      {"genre macro-F1", "genre_macro_f1"},
      {"spam F1", "spam_f1"},
      {"macro-F1", "macro_f1"}
    };
    String[][] models = {
      {"head", "test"},
      {"logistic regression", "baseline_linear_probe"},
    };
    for (String[] model : models) {
      for (String[] m : measures) {
        String at = "/" + model[1] + "/" + m[1];
        f.add(
            new Figure(
                RunComparison.TEST,
                model[0] + ": " + m[0],
                RunComparison.Unit.ACCURACY,
                j -> value(j, at)));
      }
    }
    for (String[] m : measures) {
      String head = "/test/" + m[1];
      String probe = "/baseline_linear_probe/" + m[1];
      f.add(
          new Figure(
              RunComparison.TEST,
              "head - logistic regression: " + m[0],
              RunComparison.Unit.POINTS,
              j -> (value(j, head) - value(j, probe)) * 100));
    }
    String[][] others = {
      {"served (head with TF-IDF)", "head_with_tfidf"},
      {"TF-IDF alone", "baseline_tfidf"}
    };
    for (String[] model : others) {
      for (String[] m : measures) {
        String at = "/" + model[1] + "/" + m[1];
        f.add(
            new Figure(
                RunComparison.TEST,
                model[0] + ": " + m[0],
                RunComparison.Unit.ACCURACY,
                j -> value(j, at)));
      }
    }
    f.add(
        new Figure(
            RunComparison.SHIFT,
            "new label before",
            RunComparison.Unit.ACCURACY,
            j -> value(j, "/shift/new_label_accuracy_before")));
    f.add(
        new Figure(
            RunComparison.SHIFT,
            "new label after the update",
            RunComparison.Unit.ACCURACY,
            j -> value(j, "/shift/new_label_accuracy_after")));
    f.add(
        new Figure(
            RunComparison.SHIFT,
            "new label after the retrain",
            RunComparison.Unit.ACCURACY,
            j -> value(j, "/retrain_reference/new_label_accuracy")));
    f.add(
        new Figure(
            RunComparison.SHIFT,
            "update's share of the retrain's gain",
            RunComparison.Unit.PERCENT,
            j -> value(j, "/retrain_reference/update_share_of_retrain_gain")));
    String served = "/retrain_reference/served_with_tfidf/";
    f.add(
        new Figure(
            RunComparison.SHIFT,
            "new label before, served",
            RunComparison.Unit.ACCURACY,
            j -> value(j, served + "new_label_before")));
    f.add(
        new Figure(
            RunComparison.SHIFT,
            "new label after the update, served",
            RunComparison.Unit.ACCURACY,
            j -> value(j, served + "new_label_after_update")));
    f.add(
        new Figure(
            RunComparison.SHIFT,
            "new label after the retrain, served",
            RunComparison.Unit.ACCURACY,
            j -> value(j, served + "new_label_after_retrain")));
    f.add(
        new Figure(
            RunComparison.SHIFT,
            "update's share of the retrain's gain, served",
            RunComparison.Unit.PERCENT,
            j -> value(j, served + "update_share_of_retrain_gain")));
    f.add(
        new Figure(
            RunComparison.SHIFT,
            "guard set change",
            RunComparison.Unit.POINTS,
            j ->
                (value(j, "/shift/guard_accuracy_after") - value(j, "/shift/guard_accuracy_before"))
                    * 100));
    f.add(
        new Figure(
            RunComparison.SHIFT,
            "expert parameters changed",
            RunComparison.Unit.FINE_PERCENT,
            j -> value(j, "/shift/parameters_changed_share")));
    String others2 = "/retrain_reference/other_labels_validation_served/";
    f.add(
        new Figure(
            RunComparison.SHIFT,
            "other labels' validation documents: update",
            RunComparison.Unit.POINTS,
            j -> (value(j, others2 + "after_update") - value(j, others2 + "before")) * 100));
    f.add(
        new Figure(
            RunComparison.SHIFT,
            "other labels' validation documents: retrain",
            RunComparison.Unit.POINTS,
            j -> (value(j, others2 + "after_retrain") - value(j, others2 + "before")) * 100));
    return List.copyOf(f);
  }

  /** The number at {@code pointer}, NaN if absent or not a number (a NaN written as a string). */
  private static double value(JsonNode metrics, String pointer) {
    JsonNode n = metrics.at(pointer);
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
