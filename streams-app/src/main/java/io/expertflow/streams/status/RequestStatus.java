package io.expertflow.streams.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The latest known status of one request, as stored and served (JSON, null fields omitted). Never
 * holds document text. Immutable.
 *
 * @param requestId request id
 * @param documentId document id, once known
 * @param tenant tenant, once known
 * @param state the state
 * @param submittedAt epoch ms the client submitted it (from the accepted request)
 * @param deadLetterReason reason code when dead-lettered
 * @param deadLetterDetail what was wrong, when dead-lettered
 * @param deadLetterStage stage that dead-lettered it
 * @param responseStatus OK, EXPIRED or FAILED once answered
 * @param statusReason the response's status reason, if any
 * @param labels the response's labels, best first
 * @param modelVersion model version that answered
 * @param answeredAt epoch ms the response was produced
 * @param decision compliance decision (APPROVED, REVIEW, BLOCKED) once routed
 * @param duplicatesRejected how many later submissions with this id were rejected as duplicates
 * @param memory what the document memory did to the answer, when the worker's memory is on
 * @param encoderId the encoder that embedded the document (the response's {@code encoder_id})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequestStatus(
    String requestId,
    String documentId,
    String tenant,
    RequestState state,
    Long submittedAt,
    String deadLetterReason,
    String deadLetterDetail,
    String deadLetterStage,
    String responseStatus,
    String statusReason,
    List<Label> labels,
    String modelVersion,
    Long answeredAt,
    String decision,
    int duplicatesRejected,
    Memory memory,
    String encoderId) {

  /** A label with its score. */
  public record Label(String label, float score) {}

  /**
   * What the document memory did to the answer: whether an earlier document was a near-duplicate,
   * how many earlier documents' labels voted, the head's own top label when the vote changed it
   * (else null), and the nearest earlier document (null when the tenant had none).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Memory(boolean nearDuplicate, int voters, String headLabel, Nearest nearest) {}

  /** The nearest earlier document: its request, cosine, label and whether feedback gave it. */
  public record Nearest(String requestId, float similarity, String label, boolean corrected) {}

  /**
   * This status updated by {@code update}: the higher-ranked state wins, fields the update sets
   * replace ours, duplicate counts add up. Associative, so the order of arrival across topics does
   * not matter for the final state.
   */
  public RequestStatus mergedWith(RequestStatus update) {
    boolean newer = update.state.ordinal() >= state.ordinal();
    return new RequestStatus(
        requestId,
        pick(update.documentId, documentId),
        pick(update.tenant, tenant),
        newer ? update.state : state,
        pick(update.submittedAt, submittedAt),
        pick(update.deadLetterReason, deadLetterReason),
        pick(update.deadLetterDetail, deadLetterDetail),
        pick(update.deadLetterStage, deadLetterStage),
        pick(update.responseStatus, responseStatus),
        pick(update.statusReason, statusReason),
        pick(update.labels, labels),
        pick(update.modelVersion, modelVersion),
        pick(update.answeredAt, answeredAt),
        pick(update.decision, decision),
        duplicatesRejected + update.duplicatesRejected,
        pick(update.memory, memory),
        pick(update.encoderId, encoderId));
  }

  private static <T> T pick(T update, T current) {
    return update != null ? update : current;
  }
}
