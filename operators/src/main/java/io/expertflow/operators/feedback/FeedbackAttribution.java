package io.expertflow.operators.feedback;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Joins a feedback event with the response it rates: one {@link AttributedFeedback} per expert that
 * served the request. Stateless; thread-safe.
 */
public final class FeedbackAttribution {
  private FeedbackAttribution() {}

  /**
   * Why {@code response} cannot be attributed (no labels or no experts), or empty when it can.
   * Responses that are not OK carry neither, so feedback on them cannot train an expert.
   */
  public static Optional<String> problem(InferenceResponse response) {
    if (response.getLabels().isEmpty()) {
      return Optional.of(
          "the rated response (status "
              + response.getStatus()
              + ") has no labels, so there is no prediction to judge");
    }
    if (response.getExperts().isEmpty()) {
      return Optional.of("the rated response names no experts, so no expert can be credited");
    }
    return Optional.empty();
  }

  /** Whether the event says the prediction was wrong: rating below 0 or a different label. */
  public static boolean isNegative(FeedbackEvent event, String predictedLabel) {
    Integer rating = event.getRating();
    CharSequence corrected = event.getCorrectedLabel();
    return (rating != null && rating < 0)
        || (corrected != null && !predictedLabel.contentEquals(corrected));
  }

  /**
   * One record per expert of {@code response}, in the response's expert order.
   *
   * @throws IllegalArgumentException when {@link #problem} reports one
   */
  public static List<AttributedFeedback> attribute(
      FeedbackEvent event, InferenceResponse response) {
    problem(response)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    String predicted = response.getLabels().get(0).getLabel().toString();
    boolean negative = isNegative(event, predicted);
    List<Float> embedding =
        response.getEmbedding() == null ? List.of() : List.copyOf(response.getEmbedding());
    List<Float> evidence = List.copyOf(response.getLexicalEvidence());
    List<AttributedFeedback> out = new ArrayList<>(response.getExperts().size());
    for (ExpertGate gate : response.getExperts()) {
      out.add(
          AttributedFeedback.newBuilder()
              .setFeedbackId(event.getFeedbackId())
              .setRequestId(event.getRequestId())
              .setExpert(gate.getExpert())
              .setGateWeight(gate.getWeight())
              .setDomainExpert(response.getDomainExpert())
              .setModelVersion(response.getModelVersion())
              .setPredictedLabel(predicted)
              .setCorrectedLabel(event.getCorrectedLabel())
              .setRating(event.getRating())
              .setNegative(negative)
              .setEmbedding(embedding)
              .setLexicalEvidence(evidence)
              .setEventTime(event.getEventTime())
              .setSource(event.getSource())
              .setEncoderId(response.getEncoderId())
              .build());
    }
    return out;
  }
}
