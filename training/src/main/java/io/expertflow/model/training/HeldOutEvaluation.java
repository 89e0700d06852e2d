package io.expertflow.model.training;

import io.expertflow.model.training.LabeledSamples.IdentifiedSample;
import io.expertflow.operators.moe.LinearProbe;
import io.expertflow.operators.moe.MoeHeadReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The head and the logistic-regression baseline judged on the same test documents: a confusion
 * matrix each, and for every pair of labels the head confuses, up to {@link #EXAMPLES} document
 * ids. Built once per training run; immutable after.
 */
final class HeldOutEvaluation {
  /** Document ids kept per confused pair of labels. */
  static final int EXAMPLES = 3;

  private final ClassificationMetrics head;
  private final ClassificationMetrics baseline;
  private final Map<String, List<String>> examples = new LinkedHashMap<>();

  HeldOutEvaluation(
      List<String> labels,
      List<IdentifiedSample> test,
      MoeHeadReference reference,
      LinearProbe probe) {
    this.head = new ClassificationMetrics(labels);
    this.baseline = new ClassificationMetrics(labels);
    for (IdentifiedSample s : test) {
      int actual = s.sample().label();
      int predicted = reference.forward(s.sample().embedding()).argmax();
      head.add(actual, predicted);
      baseline.add(actual, probe.predict(s.sample().embedding()));
      if (actual != predicted) {
        List<String> ids = examples.computeIfAbsent(key(actual, predicted), k -> new ArrayList<>());
        if (ids.size() < EXAMPLES) {
          ids.add(s.id());
        }
      }
    }
  }

  ClassificationMetrics head() {
    return head;
  }

  ClassificationMetrics baseline() {
    return baseline;
  }

  /** A pair of labels the head confused: how often, and some of the documents. */
  record Confusion(String actual, String predicted, long count, List<String> exampleIds) {}

  /** The {@code limit} most frequent confusions of the head, most frequent first. */
  List<Confusion> worstConfusions(int limit) {
    long[][] m = head.confusion();
    List<String> labels = head.labels();
    List<Confusion> all = new ArrayList<>();
    for (int a = 0; a < m.length; a++) {
      for (int p = 0; p < m.length; p++) {
        if (a != p && m[a][p] > 0) {
          all.add(
              new Confusion(
                  labels.get(a),
                  labels.get(p),
                  m[a][p],
                  examples.getOrDefault(key(a, p), List.of())));
        }
      }
    }
    all.sort(Comparator.comparingLong(Confusion::count).reversed());
    return all.subList(0, Math.min(limit, all.size()));
  }

  private static String key(int actual, int predicted) {
    return actual + ">" + predicted;
  }
}
