package io.expertflow.streams.deadletter;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.schemas.registry.SchemaRegistryException;
import io.expertflow.schemas.serde.WireFormatException;
import java.util.Optional;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The one place that maps exceptions to dead-letter reasons. A failure is either the record's fault
 * (it gets a dead letter and processing goes on) or transient (a registry or broker that cannot be
 * reached: the task fails, Kafka Streams replaces the thread and the exactly-once transaction
 * replays the record). Stateless; thread-safe.
 */
public final class FailureClassifier {
  private FailureClassifier() {}

  /** The reason for a record that cannot be decoded, or empty when the failure is transient. */
  public static Optional<DeadLetterReason> decodeFailure(Throwable error) {
    if (error instanceof WireFormatException w) {
      return Optional.of(w.reason());
    }
    return isTransient(error) ? Optional.empty() : Optional.of(DeadLetterReason.UNDECODABLE);
  }

  /** The reason for a processing failure, or empty when it is transient. */
  public static Optional<DeadLetterReason> processingFailure(Throwable error) {
    if (error instanceof WireFormatException w) {
      return Optional.of(w.reason());
    }
    return isTransient(error) ? Optional.empty() : Optional.of(DeadLetterReason.INTERNAL);
  }

  /** The reason for a record that cannot be written, or empty when the failure is transient. */
  public static Optional<DeadLetterReason> productionFailure(Throwable error) {
    return isTransient(error) ? Optional.empty() : Optional.of(DeadLetterReason.PRODUCE_FAILED);
  }

  /**
   * Whether the failure is no fault of the record: a retriable Kafka error, a network error, or any
   * schema registry error.
   */
  public static boolean isTransient(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof RetriableException) {
        return true;
      }
      if (t instanceof SchemaRegistryException) {
        // unknown schema ids arrive as WireFormatException and never get here; any other registry
        // answer (unreachable, 5xx, a registration race answered 409, an incompatible schema) is
        // about the deployment, not the record: fail and retry rather than dead-letter every record
        return true;
      }
      if (t instanceof java.io.IOException
          && t.getClass().getPackageName().startsWith("java.net")) {
        return true;
      }
    }
    return false;
  }

  /** A one-line description of {@code error} for a dead letter's detail. */
  public static String describe(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
