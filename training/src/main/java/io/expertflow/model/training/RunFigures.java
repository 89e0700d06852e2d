package io.expertflow.model.training;

import static io.expertflow.model.training.RunComparison.SHIFT;
import static io.expertflow.model.training.RunComparison.TEST;

import com.fasterxml.jackson.databind.JsonNode;
import io.expertflow.model.training.RunComparison.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The figures {@link RunComparison} reads from a training run's {@code metrics.json}, in order. */
final class RunFigures {
  private RunFigures() {}

  /** A figure: its section, name, unit, and how to read it (NaN where a run lacks it). */
  record Figure(String section, String name, Unit unit, ToDoubleFunction<JsonNode> of) {}

  /** The held-out measures of every model: name, then key in the model's block. */
  private static final String[][] MEASURES = {
    {"accuracy", "accuracy"},
    {"genre accuracy", "genre_accuracy"},
    {"genre macro-F1", "genre_macro_f1"},
    {"spam F1", "spam_f1"},
    {"macro-F1", "macro_f1"}
  };

  private static final String HEAD = "/test/";
  private static final String PROBE = "/baseline_linear_probe/";
  private static final String SERVED = "/retrain_reference/served_with_tfidf/";
  private static final String OTHERS = "/retrain_reference/other_labels_validation_served/";

  /** Names of the new label's figures, which {@link RunComparison} also reads by name. */
  static final String NEW_LABEL_BEFORE = "new label before";

  static final String NEW_LABEL_AFTER_UPDATE = "new label after the update";
  static final String NEW_LABEL_AFTER_RETRAIN = "new label after the retrain";

  /** Added to a shift figure's name for its served form. */
  static final String SERVED_SUFFIX = ", served";

  static final List<Figure> ALL = all();

  private static List<Figure> all() {
    List<Figure> f = new ArrayList<>();
    models(f, "head", HEAD);
    models(f, "logistic regression", PROBE);
    for (String[] m : MEASURES) {
      f.add(points(TEST, "head - logistic regression: " + m[0], HEAD + m[1], PROBE + m[1]));
    }
    models(f, "served (head with TF-IDF)", "/head_with_tfidf/");
    models(f, "TF-IDF alone", "/baseline_tfidf/");
    f.add(at(SHIFT, NEW_LABEL_BEFORE, Unit.ACCURACY, "/shift/new_label_accuracy_before"));
    f.add(at(SHIFT, NEW_LABEL_AFTER_UPDATE, Unit.ACCURACY, "/shift/new_label_accuracy_after"));
    f.add(
        at(SHIFT, NEW_LABEL_AFTER_RETRAIN, Unit.ACCURACY, "/retrain_reference/new_label_accuracy"));
    f.add(
        at(
            SHIFT,
            "update's share of the retrain's gain",
            Unit.PERCENT,
            "/retrain_reference/update_share_of_retrain_gain"));
    f.add(at(SHIFT, NEW_LABEL_BEFORE + SERVED_SUFFIX, Unit.ACCURACY, SERVED + "new_label_before"));
    f.add(
        at(
            SHIFT,
            NEW_LABEL_AFTER_UPDATE + SERVED_SUFFIX,
            Unit.ACCURACY,
            SERVED + "new_label_after_update"));
    f.add(
        at(
            SHIFT,
            NEW_LABEL_AFTER_RETRAIN + SERVED_SUFFIX,
            Unit.ACCURACY,
            SERVED + "new_label_after_retrain"));
    f.add(
        at(
            SHIFT,
            "update's share of the retrain's gain" + SERVED_SUFFIX,
            Unit.PERCENT,
            SERVED + "update_share_of_retrain_gain"));
    f.add(
        points(
            SHIFT,
            "guard set change",
            "/shift/guard_accuracy_after",
            "/shift/guard_accuracy_before"));
    f.add(
        at(
            SHIFT,
            "expert parameters changed",
            Unit.FINE_PERCENT,
            "/shift/parameters_changed_share"));
    f.add(
        points(
            SHIFT,
            "other labels' validation documents: update",
            OTHERS + "after_update",
            OTHERS + "before"));
    f.add(
        points(
            SHIFT,
            "other labels' validation documents: retrain",
            OTHERS + "after_retrain",
            OTHERS + "before"));
    return List.copyOf(f);
  }

  /** Every measure of one model's block. */
  private static void models(List<Figure> into, String model, String block) {
    for (String[] m : MEASURES) {
      into.add(at(TEST, model + ": " + m[0], Unit.ACCURACY, block + m[1]));
    }
  }

  private static Figure at(String section, String name, Unit unit, String pointer) {
    return new Figure(section, name, unit, j -> value(j, pointer));
  }

  /** The difference of two figures, in points. */
  private static Figure points(String section, String name, String minuend, String subtrahend) {
    return new Figure(
        section, name, Unit.POINTS, j -> (value(j, minuend) - value(j, subtrahend)) * 100);
  }

  /** The number at {@code pointer}, NaN if absent or not a number. */
  private static double value(JsonNode metrics, String pointer) {
    JsonNode n = metrics.at(pointer);
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
