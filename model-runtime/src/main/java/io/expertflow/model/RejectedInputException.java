package io.expertflow.model;

import io.expertflow.avro.DeadLetterReason;

/**
 * Input that can never be processed (empty text, too large, not tokenisable): the caller
 * dead-letters it at once with {@link #reason()}, without retrying.
 */
public class RejectedInputException extends RuntimeException {
  private final DeadLetterReason reason;

  public RejectedInputException(DeadLetterReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
