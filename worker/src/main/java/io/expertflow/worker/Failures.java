package io.expertflow.worker;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.model.RejectedInputException;
import io.expertflow.schemas.serde.WireFormatException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place where the worker maps an exception to a dead-letter reason. Whether a failure is
 * the record's fault at all is decided by {@link io.expertflow.schemas.errors.TransientFailures}.
 */
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
