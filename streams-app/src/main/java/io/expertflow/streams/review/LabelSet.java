package io.expertflow.streams.review;

import java.util.List;

/**
 * The labels seen in any response of one model, sorted: what a reviewer may correct a label to.
 *
 * @param labels label names, sorted
 */
public record LabelSet(List<String> labels) {
  public LabelSet {
    labels = labels == null ? List.of() : List.copyOf(labels);
  }
}
