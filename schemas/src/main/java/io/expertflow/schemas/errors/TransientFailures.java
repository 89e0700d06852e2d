package io.expertflow.schemas.errors;

import io.expertflow.schemas.registry.SchemaRegistryException;
import io.expertflow.schemas.serde.WireFormatException;
import java.io.IOException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Decides whether a failure is transient, no fault of the record: such a record is retried, never
 * dead-lettered. Two questions, from wide to narrow:
 *
 * <ul>
 *   <li>{@link #isTransient}: the deployment is at fault (a retriable Kafka error, a network error,
 *       any schema registry error). Kafka Streams fails the task and replays the record.
 *   <li>{@link #isRegistryUnavailable}: the schema registry gave no usable answer at all
 *       (unreachable, timed out, overloaded, refused our credentials). The worker holds the record
 *       and backs off until the registry answers. Every such failure is also transient.
 * </ul>
 *
 * <p>Both walk the failure's cause chain. Stateless; thread-safe.
 */
public final class TransientFailures {
  private TransientFailures() {}

  /**
   * Whether {@code failure} is no fault of the record: a {@link RetriableException} (broker
   * timeouts, leader changes), a {@code java.net} I/O error, or any {@link SchemaRegistryException}
   * anywhere in its cause chain. Unknown schema ids are the record's fault; they are reported as
   * {@link WireFormatException}, which callers map before asking this.
   */
  public static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RetriableException) {
        return true;
      }
      if (t instanceof SchemaRegistryException) {
        // any registry answer that reaches here (unreachable, 5xx, a registration race answered
        // 409, an incompatible schema) is about the deployment, not the record: fail and retry
        // rather than dead-letter every record
        return true;
      }
      if (t instanceof IOException && t.getClass().getPackageName().startsWith("java.net")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code failure} means the schema registry could not answer: no HTTP status at all
   * (unreachable, timed out), HTTP 5xx or 429, or 401 / 403 (refused our credentials). A registry
   * that answers "not found" is no outage: that record is bad. A {@link WireFormatException} met
   * first in the cause chain is the record's fault, whatever caused it.
   */
  public static boolean isRegistryUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof WireFormatException) {
        return false;
      }
      if (t instanceof SchemaRegistryException e) {
        int status = e.status();
        return !e.isNotFound()
            && (status < 0 || status >= 500 || status == 429 || status == 401 || status == 403);
      }
    }
    return false;
  }
}
