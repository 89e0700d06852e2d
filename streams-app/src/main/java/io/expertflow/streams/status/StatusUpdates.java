package io.expertflow.streams.status;

import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.MemoryEvidence;
import io.expertflow.avro.SimilarDocument;
import java.util.List;
import java.util.Set;

/** Turns pipeline records into status updates, merged by {@link RequestStatus#mergedWith}. */
final class StatusUpdates {
  /** Stages whose dead letters end a request (feedback and stats dead letters do not). */
  static final Set<String> REQUEST_STAGES = Set.of("intake", "worker", "compliance");

  private StatusUpdates() {}

  static RequestStatus accepted(InferenceRequest request) {
    return new RequestStatus(
        request.getRequestId(),
        request.getDocumentId(),
        request.getTenant(),
        RequestState.ACCEPTED,
        request.getSubmittedAt().toEpochMilli(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        null,
        null);
  }

  /** Whether {@code letter} says something about the request it is keyed by. */
  static boolean concernsRequest(DeadLetter letter) {
    return letter.getRequestId() != null && REQUEST_STAGES.contains(letter.getStage());
  }

  /**
   * A duplicate's dead letter does not end the request it duplicates (that one was accepted); it
   * only counts.
   */
  static RequestStatus deadLettered(DeadLetter letter) {
    if (letter.getReason() == DeadLetterReason.DUPLICATE) {
      return new RequestStatus(
          letter.getRequestId(),
          null,
          null,
          RequestState.ACCEPTED,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          1,
          null,
          null);
    }
    return new RequestStatus(
        letter.getRequestId(),
        null,
        null,
        RequestState.DEAD_LETTERED,
        null,
        letter.getReason().name(),
        letter.getDetail(),
        letter.getStage(),
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        null,
        null);
  }

  static RequestStatus answered(InferenceResponse response) {
    return new RequestStatus(
        response.getRequestId(),
        response.getDocumentId(),
        response.getTenant(),
        RequestState.ANSWERED,
        null,
        null,
        null,
        null,
        response.getStatus().name(),
        response.getStatusReason(),
        response.getLabels().stream()
            .map(l -> new RequestStatus.Label(l.getLabel(), l.getScore()))
            .toList(),
        response.getModelVersion(),
        response.getProducedAt().toEpochMilli(),
        null,
        0,
        memory(response.getMemory()),
        response.getEncoderId());
  }

  /** The status's account of the memory's evidence; null when the worker's memory was off. */
  private static RequestStatus.Memory memory(MemoryEvidence evidence) {
    if (evidence == null) {
      return null;
    }
    List<SimilarDocument> near = evidence.getNeighbours();
    RequestStatus.Nearest nearest = null;
    if (!near.isEmpty()) {
      SimilarDocument n = near.get(0);
      nearest =
          new RequestStatus.Nearest(
              n.getRequestId(), n.getSimilarity(), n.getLabel(), n.getCorrected());
    }
    return new RequestStatus.Memory(
        evidence.getNearDuplicate(), evidence.getVoters(), evidence.getHeadLabel(), nearest);
  }

  static RequestStatus decided(InferenceResponse response, ComplianceDecision decision) {
    RequestStatus answered = answered(response);
    return answered.mergedWith(
        new RequestStatus(
            response.getRequestId(),
            null,
            null,
            RequestState.ANSWERED,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            decision.name(),
            0,
            null,
            null));
  }
}
