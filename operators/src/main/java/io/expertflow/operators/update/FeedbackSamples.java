package io.expertflow.operators.update;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.operators.privacy.FeedbackUsers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Training samples from a window's attributed feedback. The stream carries one record per expert
 * that served a request, so records are de-duplicated by feedback id (the first copy of an event
 * stands for it, and the others are not counted anywhere); and a request gives one sample however
 * much feedback it got (the latest event wins, ties to the larger feedback id), so a flood of
 * feedback on one document weighs as one document. A record yields a sample when it carries an
 * embedding and a label that is known to be right: the corrected label, or the predicted label of
 * feedback that was not negative. Negative feedback without a correction says what is wrong but not
 * what is right, and is counted as skipped. A sample keeps the TF-IDF evidence its response
 * carried, over the head's labels ({@link FeedbackSample#evidence}).
 *
 * @param samples usable samples, sorted by feedback id (so input order never matters)
 * @param skipped feedback events left out, by reason (each event once, however many experts it was
 *     attributed to)
 * @param events distinct feedback events among the records
 */
public record FeedbackSamples(
    List<FeedbackSample> samples, Map<String, Integer> skipped, int events) {
  public static final String SKIPPED_NO_EMBEDDING = "no_embedding";
  public static final String SKIPPED_NO_LABEL = "negative_without_correction";
  public static final String SKIPPED_UNKNOWN_LABEL = "unknown_label";
  public static final String SKIPPED_WRONG_SIZE = "wrong_embedding_size";
  public static final String SKIPPED_SUPERSEDED = "superseded_by_later_feedback_on_the_request";
  public static final String SKIPPED_OTHER_ENCODER = "embedded_by_another_encoder";

  public FeedbackSamples {
    samples = List.copyOf(samples);
    skipped = Map.copyOf(skipped);
  }

  /**
   * Extracts samples from feedback of every encoder. Stateless.
   *
   * @param labels the head's label set
   * @param hidden the head's embedding size
   */
  public static FeedbackSamples from(
      List<AttributedFeedback> records, List<String> labels, int hidden) {
    return from(records, labels, hidden, null);
  }

  /**
   * Whether {@code f}'s embedding can train a head whose bundle's encoder is {@code encoderId}: it
   * was made by that encoder, or the record does not say (feedback attributed before responses
   * named their encoder), or {@code encoderId} is null (any).
   */
  public static boolean ofEncoder(AttributedFeedback f, String encoderId) {
    return encoderId == null || f.getEncoderId() == null || encoderId.equals(f.getEncoderId());
  }

  /**
   * Extracts samples. Stateless.
   *
   * @param labels the head's label set
   * @param hidden the head's embedding size
   * @param encoderId the encoder of the head's bundle ({@code BundleManifest.encoderId()}):
   *     feedback on a response another encoder embedded (a bundle served before this one, whose
   *     embeddings have the same size but another meaning) is skipped as {@link
   *     #SKIPPED_OTHER_ENCODER}; null takes every encoder's
   */
  public static FeedbackSamples from(
      List<AttributedFeedback> records, List<String> labels, int hidden, String encoderId) {
    Map<String, Integer> labelIndex = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      labelIndex.put(labels.get(i), i);
    }
    Map<String, FeedbackSample> byId = new TreeMap<>();
    Map<String, Integer> skipped = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    for (AttributedFeedback f : records) {
      if (!seen.add(f.getFeedbackId())) {
        continue; // the same event, attributed to another expert that served the request
      }
      String why = null;
      Integer label = null;
      if (f.getEmbedding() == null || f.getEmbedding().isEmpty()) {
        why = SKIPPED_NO_EMBEDDING;
      } else if (f.getEmbedding().size() != hidden) {
        why = SKIPPED_WRONG_SIZE;
      } else if (!ofEncoder(f, encoderId)) {
        why = SKIPPED_OTHER_ENCODER;
      } else {
        String truth = f.getCorrectedLabel();
        if (truth == null && !f.getNegative()) {
          truth = f.getPredictedLabel();
        }
        if (truth == null) {
          why = SKIPPED_NO_LABEL;
        } else {
          label = labelIndex.get(truth);
          if (label == null) {
            why = SKIPPED_UNKNOWN_LABEL;
          }
        }
      }
      if (why != null) {
        skipped.merge(why, 1, Integer::sum);
        continue;
      }
      float[] x = new float[hidden];
      for (int i = 0; i < hidden; i++) {
        x[i] = f.getEmbedding().get(i);
      }
      byId.put(
          f.getFeedbackId(),
          new FeedbackSample(
              f.getFeedbackId(),
              x,
              label,
              FeedbackUsers.of(f.getSource()),
              evidence(f.getLexicalEvidence(), labels.size())));
    }
    // one sample per request: its latest feedback (event time, then feedback id) says what is right
    Map<String, AttributedFeedback> latest = new HashMap<>();
    for (AttributedFeedback f : records) {
      if (!byId.containsKey(f.getFeedbackId())) {
        continue;
      }
      latest.merge(f.getRequestId(), f, FeedbackSamples::later);
    }
    for (AttributedFeedback f : records) {
      AttributedFeedback kept = latest.get(f.getRequestId());
      if (kept != null
          && !kept.getFeedbackId().equals(f.getFeedbackId())
          && byId.remove(f.getFeedbackId()) != null) {
        skipped.merge(SKIPPED_SUPERSEDED, 1, Integer::sum);
      }
    }
    List<FeedbackSample> samples = new ArrayList<>(byId.values());
    samples.sort(Comparator.comparing(FeedbackSample::id));
    return new FeedbackSamples(samples, skipped, seen.size());
  }

  /**
   * The response's TF-IDF evidence over {@code labels} labels: a label it lacks (one added after
   * the response) NaN, values beyond the label set dropped; empty when it carried none.
   */
  private static double[] evidence(List<Float> carried, int labels) {
    if (carried == null || carried.isEmpty()) {
      return new double[0];
    }
    double[] e = new double[labels];
    for (int c = 0; c < labels; c++) {
      e[c] = c < carried.size() ? carried.get(c) : Double.NaN;
    }
    return e;
  }

  private static AttributedFeedback later(AttributedFeedback a, AttributedFeedback b) {
    int byTime = a.getEventTime().compareTo(b.getEventTime());
    if (byTime != 0) {
      return byTime > 0 ? a : b;
    }
    return a.getFeedbackId().compareTo(b.getFeedbackId()) >= 0 ? a : b;
  }
}
