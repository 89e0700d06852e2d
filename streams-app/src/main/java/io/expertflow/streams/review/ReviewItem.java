package io.expertflow.streams.review;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the review topology knows of one request, stored per request id, and also the update that
 * one record brings (fields it does not know are null). The text is held only while the request may
 * still be reviewed: it is dropped once a reviewer decides, and the whole entry goes when the rules
 * approve or block the response. Never logged. Immutable.
 *
 * @param requestId the request
 * @param documentId its document
 * @param tenant its tenant
 * @param jobId its job, if any
 * @param text the document's text (chunks joined by blank lines); null once decided
 * @param submittedAt epoch ms the client submitted it
 * @param responseStatus OK, EXPIRED or FAILED once answered
 * @param labels the model's labels with scores, best first
 * @param experts the experts the router chose, with gate weights
 * @param domainExpert the domain expert
 * @param modelName the model that answered
 * @param modelVersion its version
 * @param answeredAt epoch ms the response was produced
 * @param inReview whether the response is on the review topic
 * @param ruleKnown whether the audit record (which names the deciding rule) has been seen
 * @param decidingRule the rule that sent it to review; null for the rules' default
 * @param routedAway whether the rules approved or blocked it (so it never needs review)
 * @param decision the reviewer's decision (APPROVED, BLOCKED, CORRECTED) once decided
 * @param reviewer who decided
 * @param correctedLabel the label the reviewer chose, for CORRECTED
 * @param decidedAt epoch ms of the decision
 * @param labelsOnly an update that only teaches the label set (from {@code responses}), never
 *     stored as an item
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReviewItem(
    String requestId,
    String documentId,
    String tenant,
    String jobId,
    String text,
    Long submittedAt,
    String responseStatus,
    List<Scored> labels,
    List<Gate> experts,
    Integer domainExpert,
    String modelName,
    String modelVersion,
    Long answeredAt,
    boolean inReview,
    boolean ruleKnown,
    String decidingRule,
    boolean routedAway,
    String decision,
    String reviewer,
    String correctedLabel,
    Long decidedAt,
    boolean labelsOnly) {

  /** A label and its score. */
  public record Scored(String label, float score) {}

  /** An expert and its gate weight. */
  public record Gate(int expert, float weight) {}

  public ReviewItem {
    labels = labels == null ? null : List.copyOf(labels);
    experts = experts == null ? null : List.copyOf(experts);
  }

  /** Whether the item waits for a reviewer: routed to review, answered, not yet decided. */
  public boolean pending() {
    return inReview && !routedAway && decision == null && labels != null;
  }

  /** The model's best label, or null. */
  public String predictedLabel() {
    return labels == null || labels.isEmpty() ? null : labels.get(0).label();
  }

  /** This item updated by {@code u}: fields the update sets win, flags once set stay set. */
  ReviewItem mergedWith(ReviewItem u) {
    return new ReviewItem(
        pick(u.requestId, requestId),
        pick(u.documentId, documentId),
        pick(u.tenant, tenant),
        pick(u.jobId, jobId),
        pick(u.text, text),
        pick(u.submittedAt, submittedAt),
        pick(u.responseStatus, responseStatus),
        pick(u.labels, labels),
        pick(u.experts, experts),
        pick(u.domainExpert, domainExpert),
        pick(u.modelName, modelName),
        pick(u.modelVersion, modelVersion),
        pick(u.answeredAt, answeredAt),
        inReview || u.inReview,
        ruleKnown || u.ruleKnown,
        u.ruleKnown ? u.decidingRule : decidingRule,
        routedAway || u.routedAway,
        pick(decision, u.decision), // the first decision stands
        decision != null ? reviewer : u.reviewer,
        decision != null ? correctedLabel : u.correctedLabel,
        decision != null ? decidedAt : u.decidedAt,
        false);
  }

  /** This item without its text (once decided, nobody needs to read it here again). */
  ReviewItem withoutText() {
    return new ReviewItem(
        requestId,
        documentId,
        tenant,
        jobId,
        null,
        submittedAt,
        responseStatus,
        labels,
        experts,
        domainExpert,
        modelName,
        modelVersion,
        answeredAt,
        inReview,
        ruleKnown,
        decidingRule,
        routedAway,
        decision,
        reviewer,
        correctedLabel,
        decidedAt,
        false);
  }

  private static <T> T pick(T first, T second) {
    return first != null ? first : second;
  }
}
