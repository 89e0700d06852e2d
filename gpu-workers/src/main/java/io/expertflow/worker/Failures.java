package io.expertflow.worker;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.schemas.registry.SchemaRegistryException;
import io.expertflow.schemas.serde.WireFormatException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The one place where the worker maps an exception to a dead-letter reason. */
public final class Failures {
  private Failures() {}

  /** A rejection for a failure of processing (after {@code attempts} tries). */
  public static Outcome.Rejected toRejection(Throwable failure, int attempts) {
    Throwable t = unwrap(failure);
    if (t instanceof WireFormatException w) {
      return new Outcome.Rejected(w.reason(), w.getMessage(), attempts);
    }
    if (t instanceof RejectedInputException r) {
      return new Outcome.Rejected(r.reason(), r.getMessage(), attempts);
    }
    if (t instanceof PoisonItemException p) {
      return new Outcome.Rejected(
          DeadLetterReason.POISON, describe(t), Math.max(attempts, p.attempts()));
    }
    return new Outcome.Rejected(DeadLetterReason.INFERENCE_FAILED, describe(t), attempts);
  }

  /**
   * Whether {@code failure} means the schema registry could not answer (unreachable, timed out,
   * HTTP 5xx or 429, or refused our credentials): no fault of the record, so it is retried, never
   * dead-lettered. A registry that answers "not found" is no outage: that record is bad.
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

  /** Class and message of a failure, and those of its root cause. */
  public static String describe(Throwable failure) {
    Throwable t = unwrap(failure);
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = t.getClass().getSimpleName() + ": " + t.getMessage();
    if (root != t) {
      text += " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
    return text;
  }

  /** The failure without its CompletionException / ExecutionException wrappers. */
  public static Throwable unwrapCause(Throwable t) {
    return unwrap(t);
  }

  static Throwable unwrap(Throwable t) {
    Throwable x = t;
    while ((x instanceof CompletionException || x instanceof ExecutionException)
        && x.getCause() != null) {
      x = x.getCause();
    }
    return x;
  }

  /** Input that can never be processed (empty text, too large, ...): dead-letter at once. */
  public static class RejectedInputException extends RuntimeException {
    private final DeadLetterReason reason;

    public RejectedInputException(DeadLetterReason reason, String message) {
      super(message);
      this.reason = reason;
    }

    public DeadLetterReason reason() {
      return reason;
    }
  }

  /** An item that kept failing in the engine on its own after every retry. */
  public static class PoisonItemException extends RuntimeException {
    private final int attempts;

    /**
     * @param attempts how often the engine ran the item on its own and failed
     */
    public PoisonItemException(String message, Throwable cause, int attempts) {
      super(message, cause);
      this.attempts = attempts;
    }

    public int attempts() {
      return attempts;
    }
  }
}
