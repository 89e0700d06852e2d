package io.expertflow.model.corpus;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labelled documents to train on, in one label space, exact duplicates removed.
 *
 * @param labels the label space in output order (for the built-in corpora: the 15 Brown genres,
 *     then {@code ham}, {@code spam})
 * @param documents the documents, sorted by id
 * @param duplicatesDropped documents dropped because an earlier one (by id) had the same text
 * @param fixedTest a test set given apart from the documents (then the documents are split into
 *     train and validation only); empty for a stratified split of the documents
 */
public record CorpusSet(
    List<String> labels,
    List<LabeledDocument> documents,
    int duplicatesDropped,
    List<LabeledDocument> fixedTest) {
  public CorpusSet {
    labels = List.copyOf(labels);
    documents = List.copyOf(documents);
    fixedTest = List.copyOf(fixedTest);
  }

  /** Documents to split three ways. */
  public CorpusSet(List<String> labels, List<LabeledDocument> documents, int duplicatesDropped) {
    this(labels, documents, duplicatesDropped, List.of());
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
