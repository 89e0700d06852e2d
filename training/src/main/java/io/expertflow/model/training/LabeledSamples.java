package io.expertflow.model.training;

import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabeledEmbedding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns documents into the labelled embeddings the head trains and is judged on, from the embedded
 * chunks of one run. Immutable apart from its inputs, which it does not change.
 */
final class LabeledSamples {
  private final Map<String, EmbeddedChunks> chunks;
  private final List<String> labels;
  private final Map<String, Integer> labelIndex = new LinkedHashMap<>();
  private final int dim;

  LabeledSamples(Map<String, EmbeddedChunks> chunks, List<String> labels, int dim) {
    this.chunks = chunks;
    this.labels = List.copyOf(labels);
    this.dim = dim;
    for (int i = 0; i < labels.size(); i++) {
      labelIndex.put(labels.get(i), i);
    }
  }

  int indexOf(String label) {
    return labelIndex.get(label);
  }

  /** One sample per document: its document embedding, as a worker computes it when serving. */
  List<LabeledEmbedding> documents(List<LabeledDocument> docs) {
    return samples(docs, false);
  }

  /** Each document's embedding and, for documents of several chunks, each chunk's embedding. */
  List<LabeledEmbedding> documentsAndChunks(List<LabeledDocument> docs) {
    return samples(docs, true);
  }

  /**
   * The first {@code perLabel} test documents of each label (documents by id); held-out labels have
   * no test documents.
   */
  GuardSet guardSet(List<LabeledDocument> testDocs, int perLabel) {
    return guardSet(testDocs, perLabel, labels, null);
  }

  /**
   * The same, for a head of {@code headLabels}: the first labels of this set (a shift model lacks
   * its held-out labels, which come last); with {@code served} (the TF-IDF model the bundle serves
   * beside the head, or null) each document's evidence from it, so that an update is judged on what
   * workers answer.
   */
  GuardSet guardSet(
      List<LabeledDocument> testDocs, int perLabel, List<String> headLabels, LexicalModel served) {
    if (!labels.subList(0, Math.min(headLabels.size(), labels.size())).equals(headLabels)) {
      throw new IllegalArgumentException(
          "the head's labels " + headLabels + " must be the first of " + labels);
    }
    Map<String, Integer> taken = new LinkedHashMap<>();
    List<LabeledDocument> chosen = new ArrayList<>();
    for (LabeledDocument d : testDocs) {
      if (taken.merge(d.label(), 1, Integer::sum) <= perLabel) {
        chosen.add(d);
      }
    }
    GuardSet guard = new GuardSet(headLabels, dim, documents(chosen));
    return served == null ? guard : guard.withEvidence(evidence(chosen, headLabels, served));
  }

  /**
   * Documents over every label of this set (a shift pool: its label is one a shift model lacks),
   * each with {@code served}'s evidence over those labels: NaN for a label the TF-IDF model was not
   * trained on, which then gets the evidence of the answer, as workers give it. Null without {@code
   * served} (the bundle serves the head alone).
   */
  GuardSet servedPool(List<LabeledDocument> docs, LexicalModel served) {
    return served == null
        ? null
        : new GuardSet(labels, dim, documents(docs)).withEvidence(evidence(docs, labels, served));
  }

  /** {@code served}'s evidence for the documents {@link #documents} keeps, in its order. */
  private List<double[]> evidence(
      List<LabeledDocument> docs, List<String> headLabels, LexicalModel served) {
    List<double[]> evidence = new ArrayList<>(docs.size());
    for (LabeledDocument d : docs) {
      if (chunks.containsKey(d.id())) {
        evidence.add(served.evidence(d.text(), headLabels));
      }
    }
    return evidence;
  }

  /** A test document's id beside its sample. */
  record IdentifiedSample(String id, LabeledEmbedding sample) {}

  /** {@link #documents} with the id of each document (documents without a token are left out). */
  List<IdentifiedSample> identified(List<LabeledDocument> docs) {
    List<IdentifiedSample> out = new ArrayList<>();
    for (LabeledDocument d : docs) {
      EmbeddedChunks c = chunks.get(d.id());
      if (c != null) {
        out.add(
            new IdentifiedSample(
                d.id(), new LabeledEmbedding(c.documentEmbedding(), labelIndex.get(d.label()))));
      }
    }
    return out;
  }

  private List<LabeledEmbedding> samples(List<LabeledDocument> docs, boolean withChunks) {
    List<LabeledEmbedding> samples = new ArrayList<>();
    for (LabeledDocument d : docs) {
      EmbeddedChunks c = chunks.get(d.id());
      if (c == null) {
        continue; // no token at all: nothing a worker would serve
      }
      int label = labelIndex.get(d.label());
      samples.add(new LabeledEmbedding(c.documentEmbedding(), label));
      if (withChunks && c.size() > 1) {
        for (float[] chunk : c.embeddings()) {
          samples.add(new LabeledEmbedding(chunk, label));
        }
      }
    }
    return samples;
  }
}
