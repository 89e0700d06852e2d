package io.expertflow.streams.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the job topology knows of one request, stored per request id so that each request counts
 * once in its job however often a topic delivers it (a resubmitted request, a redelivered
 * response). Also the update that one record brings. Never holds document text. Immutable.
 *
 * @param jobId the job, from the request; null until the request itself has been seen
 * @param tenant the request's tenant
 * @param submittedAt epoch ms the client submitted it
 * @param expected how many documents the job holds, as its submitter counted them; null if unknown
 * @param submitted whether the request was seen on {@code requests.inbound}
 * @param responseStatus OK, EXPIRED or FAILED once answered
 * @param topLabel the response's best label, if any
 * @param answeredAt epoch ms the response was produced
 * @param decision compliance decision once routed
 * @param deadLetterReason reason code when a request stage dead-lettered it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
    String jobId,
    String tenant,
    Long submittedAt,
    Long expected,
    boolean submitted,
    String responseStatus,
    String topLabel,
    Long answeredAt,
    String decision,
    String deadLetterReason) {

  /** This request's knowledge updated by {@code update}: fields the update sets win. */
  public JobRequest mergedWith(JobRequest update) {
    return new JobRequest(
        pick(update.jobId, jobId),
        pick(update.tenant, tenant),
        pick(update.submittedAt, submittedAt),
        pick(update.expected, expected),
        submitted || update.submitted,
        pick(update.responseStatus, responseStatus),
        pick(update.topLabel, topLabel),
        pick(update.answeredAt, answeredAt),
        pick(update.decision, decision),
        pick(update.deadLetterReason, deadLetterReason));
  }

  private static <T> T pick(T update, T current) {
    return update != null ? update : current;
  }
}
