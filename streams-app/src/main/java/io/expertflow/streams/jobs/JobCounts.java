package io.expertflow.streams.jobs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one job, as stored and served (JSON), and the change one request makes to them.
 * Answered counts every response (OK, EXPIRED, FAILED); expired and failed are parts of it. A
 * request that was answered does not also count as dead-lettered. Immutable.
 *
 * @param jobId the job
 * @param tenant tenant of its requests
 * @param expected documents in the job as its submitter counted them (0 when unknown)
 * @param submitted distinct requests seen on {@code requests.inbound}
 * @param answered requests with a response
 * @param expired responses with status EXPIRED
 * @param failed responses with status FAILED
 * @param deadLettered requests dead-lettered by intake, a worker or compliance
 * @param deadLetterReasons dead-lettered requests per reason code
 * @param decisions answered requests per compliance decision (once routed)
 * @param labels OK responses per best label
 * @param firstSubmittedAt earliest submission time (epoch ms)
 * @param lastAnsweredAt latest response time (epoch ms)
 * @param answeredTimeline answers per time bucket (response time), for throughput over time
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobCounts(
    String jobId,
    String tenant,
    long expected,
    long submitted,
    long answered,
    long expired,
    long failed,
    long deadLettered,
    Map<String, Long> deadLetterReasons,
    Map<String, Long> decisions,
    Map<String, Long> labels,
    Long firstSubmittedAt,
    Long lastAnsweredAt,
    AnswerTimeline answeredTimeline) {

  public JobCounts {
    answeredTimeline = answeredTimeline == null ? AnswerTimeline.empty() : answeredTimeline;
    deadLetterReasons = deadLetterReasons == null ? Map.of() : new TreeMap<>(deadLetterReasons);
    decisions = decisions == null ? Map.of() : new TreeMap<>(decisions);
    labels = labels == null ? Map.of() : new TreeMap<>(labels);
  }

  /** What one request adds to its job. */
  static JobCounts of(JobRequest r) {
    boolean answered = r.responseStatus() != null;
    boolean dead = !answered && r.deadLetterReason() != null;
    return new JobCounts(
        r.jobId(),
        r.tenant(),
        r.expected() == null ? 0 : r.expected(),
        r.submitted() ? 1 : 0,
        answered ? 1 : 0,
        "EXPIRED".equals(r.responseStatus()) ? 1 : 0,
        "FAILED".equals(r.responseStatus()) ? 1 : 0,
        dead ? 1 : 0,
        dead ? Map.of(r.deadLetterReason(), 1L) : Map.of(),
        answered && r.decision() != null ? Map.of(r.decision(), 1L) : Map.of(),
        answered && r.topLabel() != null ? Map.of(r.topLabel(), 1L) : Map.of(),
        r.submittedAt(),
        answered ? r.answeredAt() : null,
        answered && r.answeredAt() != null
            ? AnswerTimeline.one(r.answeredAt())
            : AnswerTimeline.empty());
  }

  /** The change from {@code before} to this: counts subtracted, times and expectation kept. */
  JobCounts minus(JobCounts before) {
    return new JobCounts(
        jobId,
        tenant,
        expected,
        submitted - before.submitted,
        answered - before.answered,
        expired - before.expired,
        failed - before.failed,
        deadLettered - before.deadLettered,
        combine(deadLetterReasons, before.deadLetterReasons, -1),
        combine(decisions, before.decisions, -1),
        combine(labels, before.labels, -1),
        firstSubmittedAt,
        lastAnsweredAt,
        answeredTimeline.combine(before.answeredTimeline, -1));
  }

  /** These figures with {@code change} applied; earliest and latest times win. */
  public JobCounts plus(JobCounts change) {
    return new JobCounts(
        jobId != null ? jobId : change.jobId,
        tenant != null ? tenant : change.tenant,
        Math.max(expected, change.expected),
        submitted + change.submitted,
        answered + change.answered,
        expired + change.expired,
        failed + change.failed,
        deadLettered + change.deadLettered,
        combine(deadLetterReasons, change.deadLetterReasons, 1),
        combine(decisions, change.decisions, 1),
        combine(labels, change.labels, 1),
        earliest(firstSubmittedAt, change.firstSubmittedAt),
        latest(lastAnsweredAt, change.lastAnsweredAt),
        answeredTimeline.combine(change.answeredTimeline, 1));
  }

  /** Whether applying this change would move no count. */
  @JsonIgnore
  boolean movesNoCount() {
    return submitted == 0
        && answered == 0
        && expired == 0
        && failed == 0
        && deadLettered == 0
        && deadLetterReasons.isEmpty()
        && decisions.isEmpty()
        && labels.isEmpty()
        && answeredTimeline.counts().isEmpty();
  }

  /** Requests with an outcome: answered or dead-lettered. */
  public long done() {
    return answered + deadLettered;
  }

  private static Map<String, Long> combine(Map<String, Long> a, Map<String, Long> b, int sign) {
    Map<String, Long> out = new TreeMap<>(a);
    b.forEach((k, v) -> out.merge(k, sign * v, Long::sum));
    out.values().removeIf(v -> v == 0);
    return out;
  }

  private static Long earliest(Long a, Long b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return Long.valueOf(Math.min(a, b));
  }

  private static Long latest(Long a, Long b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return Long.valueOf(Math.max(a, b));
  }
}
