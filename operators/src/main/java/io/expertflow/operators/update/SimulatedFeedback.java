package io.expertflow.operators.update;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.avro.LabelConfusion;
import io.expertflow.operators.moe.LabelEvidence;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeOutput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The feedback a user with the true labels would give on documents the given weights answered, as
 * the streams application attributes and aggregates it: one {@link AttributedFeedback} per chosen
 * expert (a correction when the top label is wrong, a positive rating when it is right) and the
 * {@link ExpertWindowStats} of the window. For demos, scenarios and tests that have labelled
 * documents instead of users. Stateless apart from its inputs.
 */
public final class SimulatedFeedback {
  private final MoeHeadWeights weights;
  private final String modelVersion;
  private final List<String> documentLabels;

  /**
   * @param weights the weights that answered the documents; not mutated
   * @param modelVersion the version the responses named
   */
  public SimulatedFeedback(MoeHeadWeights weights, String modelVersion) {
    this(weights, modelVersion, weights.config().labels());
  }

  /**
   * Feedback on documents whose labels may lie outside the head's label set: users correct answers
   * to labels the model has never had.
   *
   * @param documentLabels the names of the documents' label indices; the head's labels must be
   *     their first ones
   */
  public SimulatedFeedback(
      MoeHeadWeights weights, String modelVersion, List<String> documentLabels) {
    this.weights = Objects.requireNonNull(weights, "weights");
    this.modelVersion = Objects.requireNonNull(modelVersion, "modelVersion");
    this.documentLabels = List.copyOf(documentLabels);
    List<String> head = weights.config().labels();
    if (this.documentLabels.size() < head.size()
        || !this.documentLabels.subList(0, head.size()).equals(head)) {
      throw new IllegalArgumentException(
          "the head's labels " + head + " must come first in the documents' " + documentLabels);
    }
  }

  /**
   * Attributed feedback on {@code documents}, with ids {@code idPrefix + index} and event times one
   * second apart from {@code start}.
   */
  public List<AttributedFeedback> attributed(
      List<LabeledEmbedding> documents, String idPrefix, Instant start) {
    return attributed(documents, List.of(), idPrefix, start);
  }

  /**
   * As {@link #attributed(List, String, Instant)}, the documents answered as served: with the
   * evidence a bundle's TF-IDF model gave each (over the documents' labels, or at least the head's;
   * {@link io.expertflow.operators.moe.GuardSet#evidence}), which the feedback then carries as a
   * response would, over the head's labels.
   *
   * @param evidence one array per document, or empty for the head alone
   */
  public List<AttributedFeedback> attributed(
      List<LabeledEmbedding> documents, List<double[]> evidence, String idPrefix, Instant start) {
    if (!evidence.isEmpty() && evidence.size() != documents.size()) {
      throw new IllegalArgumentException(
          "evidence for " + evidence.size() + " of " + documents.size() + " documents");
    }
    MoeHeadReference head = new MoeHeadReference(weights);
    List<String> labels = weights.config().labels();
    List<AttributedFeedback> out = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      LabeledEmbedding d = documents.get(i);
      MoeOutput o = head.forward(d.embedding());
      List<Float> words = new ArrayList<>();
      double[] e = evidence.isEmpty() ? new double[0] : evidence.get(i);
      for (int c = 0; c < Math.min(e.length, labels.size()); c++) {
        words.add((float) e[c]);
      }
      double[] served = new double[words.size()];
      for (int c = 0; c < served.length; c++) {
        served[c] = words.get(c);
      }
      String predicted =
          labels.get(LabelEvidence.argmax(LabelEvidence.scores(o.probabilities(), served)));
      String actual = documentLabels.get(d.label());
      boolean wrong = !predicted.equals(actual);
      List<Float> embedding = new ArrayList<>(d.embedding().length);
      for (float v : d.embedding()) {
        embedding.add(v);
      }
      for (int j = 0; j < o.experts().length; j++) {
        out.add(
            AttributedFeedback.newBuilder()
                .setFeedbackId(idPrefix + i)
                .setRequestId("request-" + idPrefix + i)
                .setExpert(o.experts()[j])
                .setGateWeight(o.gates()[j])
                .setDomainExpert(o.domain())
                .setModelVersion(modelVersion)
                .setPredictedLabel(predicted)
                .setCorrectedLabel(wrong ? actual : null)
                .setRating(wrong ? -1 : 1)
                .setNegative(wrong)
                .setEmbedding(embedding)
                .setLexicalEvidence(words)
                .setEventTime(start.plusSeconds(i))
                // each document of the simulated week is rated by a user of its own
                .setSource("user-" + idPrefix + i)
                .build());
      }
    }
    return out;
  }

  /** The statistics of one window over {@code feedback}, one record per expert. */
  public static List<ExpertWindowStats> stats(
      List<AttributedFeedback> feedback, Instant windowStart, Instant windowEnd) {
    Map<Integer, List<AttributedFeedback>> byExpert = new TreeMap<>();
    feedback.forEach(f -> byExpert.computeIfAbsent(f.getExpert(), e -> new ArrayList<>()).add(f));
    List<ExpertWindowStats> stats = new ArrayList<>();
    byExpert.forEach(
        (expert, events) -> {
          long negatives = events.stream().filter(AttributedFeedback::getNegative).count();
          Map<List<String>, Long> confusion = new LinkedHashMap<>();
          double gateSum = 0;
          for (AttributedFeedback f : events) {
            gateSum += f.getGateWeight();
            if (f.getCorrectedLabel() != null) {
              confusion.merge(List.of(f.getPredictedLabel(), f.getCorrectedLabel()), 1L, Long::sum);
            }
          }
          List<LabelConfusion> cells = new ArrayList<>();
          confusion.forEach((pa, n) -> cells.add(new LabelConfusion(pa.get(0), pa.get(1), n)));
          stats.add(
              ExpertWindowStats.newBuilder()
                  .setExpert(expert)
                  .setWindowStart(windowStart)
                  .setWindowEnd(windowEnd)
                  .setCount(events.size())
                  .setNegatives(negatives)
                  .setNegativeRate((double) negatives / events.size())
                  .setGateWeightSum(gateSum)
                  .setConfusion(cells)
                  .setModelVersions(
                      events.stream().map(AttributedFeedback::getModelVersion).distinct().toList())
                  .build());
        });
    return stats;
  }
}
