package io.expertflow.streams.deadletter;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.schemas.errors.TransientFailures;
import io.expertflow.schemas.serde.WireFormatException;
import java.util.Optional;

/**
 * The one place that maps exceptions to dead-letter reasons. A failure is either the record's fault
 * (it gets a dead letter and processing goes on) or transient, as {@link
 * TransientFailures#isTransient} decides (a registry or broker that cannot be reached: the task
 * fails, Kafka Streams replaces the thread and the exactly-once transaction replays the record).
 * Stateless; thread-safe.
 */
public final class FailureClassifier {
  private FailureClassifier() {}

  /** The reason for a record that cannot be decoded, or empty when the failure is transient. */
  public static Optional<DeadLetterReason> decodeFailure(Throwable error) {
    if (error instanceof WireFormatException w) {
      return Optional.of(w.reason());
    }
    return TransientFailures.isTransient(error)
        ? Optional.empty()
        : Optional.of(DeadLetterReason.UNDECODABLE);
  }

  /** The reason for a processing failure, or empty when it is transient. */
  public static Optional<DeadLetterReason> processingFailure(Throwable error) {
    if (error instanceof WireFormatException w) {
      return Optional.of(w.reason());
    }
    return TransientFailures.isTransient(error)
        ? Optional.empty()
        : Optional.of(DeadLetterReason.INTERNAL);
  }

  /** The reason for a record that cannot be written, or empty when the failure is transient. */
  public static Optional<DeadLetterReason> productionFailure(Throwable error) {
    return TransientFailures.isTransient(error)
        ? Optional.empty()
        : Optional.of(DeadLetterReason.PRODUCE_FAILED);
  }

  /** A one-line description of {@code error} for a dead letter's detail. */
  public static String describe(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
