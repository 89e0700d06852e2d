package io.expertflow.schemas.serde;

import io.expertflow.avro.DeadLetterReason;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes are not a valid Confluent wire-format Avro record. {@link #reason()} is the
 * dead-letter reason it maps to.
 */
public final class WireFormatException extends SerializationException {
  private final DeadLetterReason reason;

  public WireFormatException(DeadLetterReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
