package io.expertflow.model.corpus;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labelled documents of all corpora, in one label space, exact duplicates removed.
 *
 * @param labels the label space in output order: the 15 Brown genres, then {@code ham}, {@code
 *     spam}
 * @param documents the documents, sorted by id
 * @param duplicatesDropped documents dropped because an earlier one (by id) had the same text
 */
public record CorpusSet(
    List<String> labels, List<LabeledDocument> documents, int duplicatesDropped) {
  public CorpusSet {
    labels = List.copyOf(labels);
    documents = List.copyOf(documents);
  }

  /** Number of documents per label, in label order. */
  public Map<String, Integer> countsByLabel() {
    Map<String, Integer> counts = new TreeMap<>();
    for (LabeledDocument d : documents) {
      counts.merge(d.label(), 1, Integer::sum);
    }
    return counts;
  }
}
