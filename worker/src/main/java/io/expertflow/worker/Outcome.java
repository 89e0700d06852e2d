package io.expertflow.worker;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceResponse;

/** What became of one request: a response (OK, EXPIRED or FAILED) or a dead letter. */
public sealed interface Outcome permits Outcome.Answered, Outcome.Rejected {

  /** The request is answered with {@code response}. */
  record Answered(InferenceResponse response) implements Outcome {}

  /**
   * The request goes to the dead letters.
   *
   * @param reason reason code
   * @param detail what was wrong, for a person; never document text
   * @param attempts how often processing was tried
   */
  record Rejected(DeadLetterReason reason, String detail, int attempts) implements Outcome {}
}
