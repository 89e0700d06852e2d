package io.expertflow.streams.jobs.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One document of a job as {@code job export} writes it, or the part of it that one topic tells;
 * parts of the same request are merged. Never holds document text.
 *
 * @param seq position in the job (submission order), from the request's {@code job.seq}
 * @param requestId request id
 * @param source where the document came from: its path under the folder, its id, or file:line
 * @param status OK, EXPIRED or FAILED once answered; DEAD_LETTERED; PENDING when neither yet
 * @param labels labels with scores, best first
 * @param experts base experts with their gate weights
 * @param domainExpert domain expert, -1 if none
 * @param decision compliance decision
 * @param rule the rule that decided, null for the default decision
 * @param modelVersion model version that answered
 * @param auditSha256 the audit record's SHA-256 of the canonical output
 * @param deadLetterReason reason code when dead-lettered
 * @param deadLetterDetail what was wrong, when dead-lettered
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExportRow(
    Long seq,
    String requestId,
    String source,
    String status,
    List<Label> labels,
    List<Expert> experts,
    Integer domainExpert,
    String decision,
    String rule,
    String modelVersion,
    String auditSha256,
    String deadLetterReason,
    String deadLetterDetail) {

  /** A label and its score. */
  public record Label(String label, float score) {}

  /** A base expert and its gate weight. */
  public record Expert(int expert, float weight) {}

  /** Status of a document with neither an answer nor a dead letter yet. */
  public static final String PENDING = "PENDING";

  /**
   * This part with {@code other}'s fields where this has none; an answer outranks a dead letter.
   */
  ExportRow mergedWith(ExportRow other) {
    String mergedStatus = status;
    if (mergedStatus == null || "DEAD_LETTERED".equals(mergedStatus)) {
      mergedStatus = other.status != null ? other.status : mergedStatus;
    }
    return new ExportRow(
        pick(seq, other.seq),
        pick(requestId, other.requestId),
        pick(source, other.source),
        mergedStatus,
        pick(labels, other.labels),
        pick(experts, other.experts),
        pick(domainExpert, other.domainExpert),
        pick(decision, other.decision),
        pick(rule, other.rule),
        pick(modelVersion, other.modelVersion),
        pick(auditSha256, other.auditSha256),
        pick(deadLetterReason, other.deadLetterReason),
        pick(deadLetterDetail, other.deadLetterDetail));
  }

  /** This row, PENDING when nothing answered it. */
  ExportRow finished() {
    return status != null ? this : withStatus(PENDING);
  }

  private ExportRow withStatus(String s) {
    return new ExportRow(
        seq,
        requestId,
        source,
        s,
        labels,
        experts,
        domainExpert,
        decision,
        rule,
        modelVersion,
        auditSha256,
        deadLetterReason,
        deadLetterDetail);
  }

  private static <T> T pick(T mine, T theirs) {
    return mine != null ? mine : theirs;
  }
}
