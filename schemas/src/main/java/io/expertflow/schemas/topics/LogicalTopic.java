package io.expertflow.schemas.topics;

import java.time.Duration;

/**
 * The topics of the pipeline, by their logical (unprefixed) names, with their default layout.
 *
 * <p>{@link #RESPONSES} and {@link #FEEDBACK} are both keyed by request id and joined by the
 * streams application, so they must keep the same partition count (co-partitioning).
 */
public enum LogicalTopic {
  /** Raw intake from clients, keyed by request id. */
  REQUESTS_INBOUND("requests.inbound", 6, CleanupPolicy.DELETE, Duration.ofDays(7)),
  /** Validated, deduplicated requests keyed by document id; workers consume it. */
  REQUESTS("requests", 12, CleanupPolicy.DELETE, Duration.ofDays(7)),
  /** Worker results keyed by request id. */
  RESPONSES("responses", 12, CleanupPolicy.DELETE, Duration.ofDays(14)),
  /** Responses that passed the compliance rules. */
  RESPONSES_APPROVED("responses.approved", 6, CleanupPolicy.DELETE, Duration.ofDays(14)),
  /** Responses held for human review. */
  RESPONSES_REVIEW("responses.review", 6, CleanupPolicy.DELETE, Duration.ofDays(14)),
  /** Responses blocked by the compliance rules. */
  RESPONSES_BLOCKED("responses.blocked", 6, CleanupPolicy.DELETE, Duration.ofDays(14)),
  /** Input that could not be processed, with a reason code; kept long enough to act on. */
  DEAD_LETTERS("dead-letters", 3, CleanupPolicy.DELETE, Duration.ofDays(30)),
  /** Hashes and decisions per request, never the text; kept for compliance. */
  AUDIT("audit", 6, CleanupPolicy.DELETE, Duration.ofDays(365)),
  /** User feedback keyed by request id; co-partitioned with {@link #RESPONSES}. */
  FEEDBACK("feedback", 12, CleanupPolicy.DELETE, Duration.ofDays(30)),
  /** Feedback joined with its response, keyed by expert id; outlives two weekly windows. */
  FEEDBACK_ATTRIBUTED("feedback.attributed", 6, CleanupPolicy.DELETE, Duration.ofDays(30)),
  /** Weekly per-expert statistics, emitted when a window closes. */
  EXPERT_STATS("expert-stats", 3, CleanupPolicy.DELETE, Duration.ofDays(90)),
  /** Latest weights of each updated expert; one partition so every worker reads it in order. */
  EXPERT_UPDATES("expert-updates", 1, CleanupPolicy.COMPACT, null),
  /** Latest version of each model; one partition so every worker reads it in order. */
  MODEL_VERSIONS("model-versions", 1, CleanupPolicy.COMPACT, null),
  /** Reviewers' decisions on responses held for review, keyed by request id; kept as the audit. */
  REVIEW_DECISIONS("review-decisions", 3, CleanupPolicy.DELETE, Duration.ofDays(365)),
  /**
   * The document memory's feed: answered documents' embeddings and their corrections, keyed by
   * request id (corrections by request id + {@code /corrected}); compacted so that any number of
   * memory instances rebuild the same index by replaying it, and deleted by time for retention. A
   * tombstone forgets a request.
   */
  MEMORY("memory", 12, CleanupPolicy.COMPACT_DELETE, Duration.ofDays(90));

  private final String logicalName;
  private final int defaultPartitions;
  private final CleanupPolicy cleanupPolicy;
  private final Duration defaultRetention;

  LogicalTopic(
      String logicalName,
      int defaultPartitions,
      CleanupPolicy cleanupPolicy,
      Duration defaultRetention) {
    this.logicalName = logicalName;
    this.defaultPartitions = defaultPartitions;
    this.cleanupPolicy = cleanupPolicy;
    this.defaultRetention = defaultRetention;
  }

  /** The name without prefix, for example {@code requests.inbound}. */
  public String logicalName() {
    return logicalName;
  }

  public int defaultPartitions() {
    return defaultPartitions;
  }

  public CleanupPolicy cleanupPolicy() {
    return cleanupPolicy;
  }

  /** The default retention, or {@code null} for compacted topics (kept by key, not by time). */
  Duration defaultRetention() {
    return defaultRetention;
  }
}
