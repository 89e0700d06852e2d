package io.expertflow.streams.deadletter;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import java.time.Instant;
import java.util.Objects;

/**
 * Builds {@link DeadLetter} records of one pipeline stage. The detail must say what was wrong and
 * what to do, never quoting document text. Immutable; thread-safe.
 */
public final class DeadLetters {
  private final String stage;
  private final String origin;

  /**
   * @param stage the stage that gives up: intake, compliance, feedback, stats, status, review
   * @param origin id of the application instance, written into every dead letter
   */
  public DeadLetters(String stage, String origin) {
    this.stage = Objects.requireNonNull(stage, "stage");
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  public String stage() {
    return stage;
  }

  /** A dead letter for {@code source}, failed at {@code failedAtMs}. */
  public DeadLetter create(
      DeadLetterReason reason,
      String detail,
      String requestId,
      SourceRecordRef source,
      long failedAtMs) {
    io.expertflow.streams.StreamsMeters.deadLetter(stage, reason);
    return io.expertflow.schemas.DeadLetters.of(
        source.topic(),
        source.partition(),
        source.offset(),
        source.key(),
        source.value(),
        requestId,
        reason,
        detail,
        stage,
        origin,
        1,
        Instant.ofEpochMilli(failedAtMs));
  }
}
