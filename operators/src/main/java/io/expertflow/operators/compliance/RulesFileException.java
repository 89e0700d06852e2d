package io.expertflow.operators.compliance;

/** A compliance rule file cannot be read or is invalid; the message names the place and fix. */
public final class RulesFileException extends IllegalArgumentException {
  public RulesFileException(String message) {
    super(message);
  }

  public RulesFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
