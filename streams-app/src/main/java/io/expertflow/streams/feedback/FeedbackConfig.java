package io.expertflow.streams.feedback;

import io.expertflow.operators.moe.LabelNames;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of feedback attribution. Immutable; validated on construction.
 *
 * @param matchTimeout how long (wall-clock) feedback waits for its response before it is
 *     dead-lettered UNMATCHED_FEEDBACK
 * @param responseRetention how long (record time) responses are kept to be rated
 * @param maxLabelLength longest accepted corrected label, 1 to {@link LabelNames#MAX_LENGTH} (a
 *     longer one could be no model's label)
 */
public record FeedbackConfig(
    Duration matchTimeout, Duration responseRetention, int maxLabelLength) {
  public static final Duration DEFAULT_MATCH_TIMEOUT = Duration.ofHours(1);
  public static final Duration DEFAULT_RESPONSE_RETENTION = Duration.ofDays(30);
  public static final int DEFAULT_MAX_LABEL_LENGTH = LabelNames.MAX_LENGTH;

  /** Longest pause between two sweeps of waiting feedback. */
  public static final Duration MAX_SWEEP_INTERVAL = Duration.ofSeconds(10);

  public FeedbackConfig {
    Objects.requireNonNull(matchTimeout, "matchTimeout");
    Objects.requireNonNull(responseRetention, "responseRetention");
    if (matchTimeout.isNegative() || matchTimeout.isZero()) {
      throw new IllegalArgumentException("feedback match timeout must be > 0, was " + matchTimeout);
    }
    if (responseRetention.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException(
          "feedback response retention must be at least 1 minute, was " + responseRetention);
    }
    if (maxLabelLength < 1 || maxLabelLength > LabelNames.MAX_LENGTH) {
      throw new IllegalArgumentException(
          "feedback max label length must be 1 to "
              + LabelNames.MAX_LENGTH
              + " (the longest label a model can have), was "
              + maxLabelLength);
    }
  }

  public static FeedbackConfig defaults() {
    return new FeedbackConfig(
        DEFAULT_MATCH_TIMEOUT, DEFAULT_RESPONSE_RETENTION, DEFAULT_MAX_LABEL_LENGTH);
  }

  /** How often waiting feedback is swept: a quarter of the timeout, 100 ms to 10 s. */
  public Duration sweepInterval() {
    long quarter = matchTimeout.toMillis() / 4;
    return Duration.ofMillis(Math.max(100, Math.min(quarter, MAX_SWEEP_INTERVAL.toMillis())));
  }
}
