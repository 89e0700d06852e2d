package io.expertflow.streams.intake;

import io.expertflow.avro.DeadLetterReason;
import java.util.Objects;

/**
 * Why intake refuses a request.
 *
 * @param reason the dead-letter reason code
 * @param detail what was wrong and what to do; never quotes document text
 */
public record Rejection(DeadLetterReason reason, String detail) {
  public Rejection {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }
}
