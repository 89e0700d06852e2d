package io.expertflow.streams.jobs;

import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import java.util.Set;

/** Turns pipeline records into per-request updates for the job ledger. */
final class JobUpdates {
  /** Attribute holding the number of documents the submitter counted in the job. */
  static final String TOTAL_ATTRIBUTE = "job.total";

  /** Stages whose dead letters end a request (as in the status topology). */
  static final Set<String> REQUEST_STAGES = Set.of("intake", "worker", "compliance");

  private JobUpdates() {}

  static boolean inAJob(InferenceRequest request) {
    return request != null && request.getJobId() != null && !request.getJobId().isBlank();
  }

  static JobRequest submitted(InferenceRequest request) {
    CharSequence total = request.getAttributes().get(TOTAL_ATTRIBUTE);
    return new JobRequest(
        request.getJobId(),
        request.getTenant(),
        request.getSubmittedAt().toEpochMilli(),
        parseTotal(total),
        true,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * Whether {@code letter} ends the request it names. A duplicate's dead letter does not: the
   * request it duplicates was accepted.
   */
  static boolean endsRequest(DeadLetter letter) {
    return letter != null
        && letter.getRequestId() != null
        && REQUEST_STAGES.contains(letter.getStage())
        && letter.getReason() != DeadLetterReason.DUPLICATE;
  }

  static JobRequest deadLettered(DeadLetter letter) {
    return new JobRequest(
        null, null, null, null, false, null, null, null, null, letter.getReason().name());
  }

  static JobRequest answered(InferenceResponse response) {
    return new JobRequest(
        null,
        null,
        null,
        null,
        false,
        response.getStatus().name(),
        response.getLabels().isEmpty() ? null : response.getLabels().get(0).getLabel(),
        response.getProducedAt().toEpochMilli(),
        null,
        null);
  }

  static JobRequest decided(InferenceResponse response, ComplianceDecision decision) {
    return answered(response)
        .mergedWith(
            new JobRequest(null, null, null, null, false, null, null, null, decision.name(), null));
  }

  private static Long parseTotal(CharSequence total) {
    if (total == null) {
      return null;
    }
    try {
      long n = Long.parseLong(total.toString().trim());
      return n >= 0 ? n : null;
    } catch (NumberFormatException e) {
      return null; // a client's own attribute of that name; the job simply has no expectation
    }
  }
}
