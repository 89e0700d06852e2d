package io.expertflow.model.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The labels a training run trains and those it holds out, checked before anything is embedded. A
 * shift model lacks its held-out labels altogether; the documents' label indices ({@link
 * #indexed()}) put them after the trained ones, where a weekly update appends the labels it learns
 * from feedback.
 *
 * @param trained the data's labels that are not held out, in the data's order
 * @param heldOut the held-out labels, in the data's order
 */
record TrainedLabels(List<String> trained, List<String> heldOut) {
  TrainedLabels {
    trained = List.copyOf(trained);
    heldOut = List.copyOf(heldOut);
  }

  /**
   * Splits {@code labels} by {@code heldOutLabels}.
   *
   * @throws IllegalArgumentException for a held-out label the data does not have, or when fewer
   *     than two labels are left to train: a head tells labels apart, so one is nothing to learn
   */
  static TrainedLabels of(List<String> labels, Set<String> heldOutLabels) {
    for (String held : heldOutLabels) {
      if (!labels.contains(held)) {
        throw new IllegalArgumentException(
            "cannot hold out unknown label '" + held + "'; labels are " + labels);
      }
    }
    List<String> trained = labels.stream().filter(l -> !heldOutLabels.contains(l)).toList();
    if (trained.size() < 2) {
      String left = trained.isEmpty() ? "no label" : "one label, " + trained.get(0) + ",";
      String what =
          heldOutLabels.isEmpty()
              ? "the data has " + left + " to train"
              : "holding out " + new TreeSet<>(heldOutLabels) + " leaves " + left + " to train";
      throw new IllegalArgumentException(
          what
              + "; a head needs at least two labels to tell apart: give documents of another"
              + " label (labels are "
              + labels
              + ")");
    }
    return new TrainedLabels(trained, labels.stream().filter(heldOutLabels::contains).toList());
  }

  /** The trained labels, then the held-out ones: the documents' label indices. */
  List<String> indexed() {
    List<String> indexed = new ArrayList<>(trained);
    indexed.addAll(heldOut);
    return List.copyOf(indexed);
  }
}
