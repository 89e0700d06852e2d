package io.expertflow.model.training;

import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.model.training.LabeledSamples.IdentifiedSample;
import io.expertflow.operators.moe.LabelEvidence;
import io.expertflow.operators.moe.MoeHeadReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the head would answer with the TF-IDF model beside it: a product of the two, {@code log p =
 * log p_head + w · log p_tfidf} renormalised over the labels, the weight {@code w} of {@link
 * #WEIGHTS} with the lowest validation cross-entropy ({@code w = 0} is the head alone, so the
 * choice can fall back to it), judged on the run's own test documents. The bundle serves it ({@link
 * LexicalModel}, the same arithmetic) when the weight chosen is above 0: spam is told by single
 * words and fragments that a mean sentence embedding blurs. Immutable once fitted.
 */
final class HeadWithTfIdf {
  /** The weights of the TF-IDF model tried, the head alone first. */
  static final List<Double> WEIGHTS =
      List.of(0.0, 0.03, 0.06, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0);

  private static final double FLOOR = 1e-12;

  private final MoeHeadReference head;
  private final TfIdfBaseline tfIdf;
  private final double weight;

  private HeadWithTfIdf(MoeHeadReference head, TfIdfBaseline tfIdf, double weight) {
    this.head = head;
    this.tfIdf = tfIdf;
    this.weight = weight;
  }

  /**
   * The TF-IDF model alone and beside the head, judged on the test documents.
   *
   * @param tfIdf the TF-IDF model's figures
   * @param combined the head's with the TF-IDF model beside it
   * @param weight the TF-IDF model's weight in {@code combined}, chosen on validation
   * @param served the TF-IDF model with that weight, as a bundle serves it beside the head; null
   *     when the weight is 0 (the head alone)
   */
  record Measured(
      ClassificationMetrics tfIdf,
      ClassificationMetrics combined,
      double weight,
      LexicalModel served) {}

  /**
   * Fits the TF-IDF model on the training documents of {@code split} ({@link TfIdfBaseline}), the
   * weight beside {@code head} on its validation documents, and judges both on its test documents.
   */
  static Measured measure(
      Map<Split, List<LabeledDocument>> split,
      LabeledSamples samples,
      MoeHeadReference head,
      List<String> labels,
      long seed) {
    List<LabeledDocument> validation = split.get(Split.VALIDATION);
    List<LabeledDocument> test = split.get(Split.TEST);
    TfIdfBaseline tfIdf = TfIdfBaseline.fit(split.get(Split.TRAIN), validation, labels, seed);
    HeadWithTfIdf combined = fit(head, tfIdf, pair(validation, samples.identified(validation)));
    return new Measured(
        tfIdf.evaluate(test),
        combined.evaluate(pair(test, samples.identified(test)), labels),
        combined.weight(),
        combined.weight() == 0 ? null : tfIdf.served(combined.weight()));
  }

  /** A test or validation document: its text for TF-IDF, its embedding and label for the head. */
  record Paired(String text, IdentifiedSample sample) {}

  /**
   * The documents of {@code samples} (those the encoder produced an embedding for) with their text
   * from {@code documents}.
   */
  static List<Paired> pair(List<LabeledDocument> documents, List<IdentifiedSample> samples) {
    Map<String, String> text = new HashMap<>();
    documents.forEach(d -> text.put(d.id(), d.text()));
    List<Paired> out = new ArrayList<>(samples.size());
    for (IdentifiedSample s : samples) {
      out.add(new Paired(text.get(s.id()), s));
    }
    return out;
  }

  /**
   * Chooses the weight on {@code validation}; without validation documents the head alone.
   *
   * @param head the trained head
   * @param tfIdf the TF-IDF model, over the same labels in the same order
   */
  static HeadWithTfIdf fit(MoeHeadReference head, TfIdfBaseline tfIdf, List<Paired> validation) {
    // each document's two opinions once, then every weight combines them
    List<float[]> heads = new ArrayList<>(validation.size());
    List<double[]> lexical = new ArrayList<>(validation.size());
    for (Paired d : validation) {
      heads.add(head.forward(d.sample().sample().embedding()).probabilities());
      lexical.add(tfIdf.probabilities(d.text()));
    }
    double best = 0;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (double w : WEIGHTS) {
      double loss = 0;
      for (int i = 0; i < validation.size(); i++) {
        double[] p = LexicalModel.combine(heads.get(i), w == 0 ? null : lexical.get(i), w);
        loss -= Math.log(Math.max(p[validation.get(i).sample().sample().label()], FLOOR));
      }
      if (!validation.isEmpty() && loss < bestLoss) {
        bestLoss = loss;
        best = w;
      }
    }
    return new HeadWithTfIdf(head, tfIdf, best);
  }

  /** The weight of the TF-IDF model chosen on validation (0: the head alone). */
  double weight() {
    return weight;
  }

  /** The figures on {@code test}, over {@code labels} (the head's and the TF-IDF model's). */
  ClassificationMetrics evaluate(List<Paired> test, List<String> labels) {
    ClassificationMetrics m = new ClassificationMetrics(labels);
    for (Paired d : test) {
      m.add(d.sample().sample().label(), LabelEvidence.argmax(probabilities(d)));
    }
    return m;
  }

  private double[] probabilities(Paired d) {
    return LexicalModel.combine(
        head.forward(d.sample().sample().embedding()).probabilities(),
        weight == 0 ? null : tfIdf.probabilities(d.text()),
        weight);
  }
}
