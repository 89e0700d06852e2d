package io.expertflow.streams.review;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ReviewDecision;
import java.util.List;

/** Turns pipeline records into updates of the review ledger. Stateless. */
final class ReviewUpdates {
  private ReviewUpdates() {}

  static ReviewItem requested(InferenceRequest r) {
    return new ReviewItem(
        r.getRequestId(),
        r.getDocumentId(),
        r.getTenant(),
        r.getJobId(),
        text(r),
        r.getSubmittedAt().toEpochMilli(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        false,
        null,
        false,
        null,
        null,
        null,
        null,
        false);
  }

  static ReviewItem inReview(InferenceResponse r) {
    return new ReviewItem(
        r.getRequestId(),
        r.getDocumentId(),
        r.getTenant(),
        null,
        null,
        null,
        r.getStatus().name(),
        labels(r),
        r.getExperts().stream()
            .map(g -> new ReviewItem.Gate(g.getExpert(), g.getWeight()))
            .toList(),
        r.getDomainExpert(),
        r.getModelName(),
        r.getModelVersion(),
        r.getProducedAt().toEpochMilli(),
        true,
        false,
        null,
        false,
        null,
        null,
        null,
        null,
        false);
  }

  static ReviewItem audited(AuditRecord a) {
    boolean review = a.getDecision() == ComplianceDecision.REVIEW;
    return new ReviewItem(
        a.getRequestId(),
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
        null,
        null,
        false,
        true,
        a.getDecidingRule(),
        !review,
        null,
        null,
        null,
        null,
        false);
  }

  static ReviewItem decided(ReviewDecision d) {
    return new ReviewItem(
        d.getRequestId(),
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
        null,
        null,
        false,
        false,
        null,
        false,
        d.getDecision().name(),
        d.getReviewer(),
        d.getCorrectedLabel(),
        d.getDecidedAt().toEpochMilli(),
        false);
  }

  /** The labels of any response, to learn the model's label set; stored as no item. */
  static ReviewItem labelsOf(InferenceResponse r) {
    return new ReviewItem(
        r.getRequestId(),
        null,
        null,
        null,
        null,
        null,
        null,
        labels(r),
        null,
        null,
        r.getModelName(),
        null,
        null,
        false,
        false,
        null,
        false,
        null,
        null,
        null,
        null,
        true);
  }

  private static List<ReviewItem.Scored> labels(InferenceResponse r) {
    return r.getLabels().stream()
        .map(l -> new ReviewItem.Scored(l.getLabel(), l.getScore()))
        .toList();
  }

  private static String text(InferenceRequest r) {
    if (r.getText() != null && !r.getText().isEmpty()) {
      return r.getText();
    }
    return r.getChunks() == null || r.getChunks().isEmpty()
        ? null
        : String.join("\n\n", r.getChunks());
  }
}
