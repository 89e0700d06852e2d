package io.expertflow.operators.batching;

/**
 * An item's deadline passed before it was put in a batch; it was never handed to the engine. The
 * caller answers it EXPIRED.
 */
public final class ItemExpiredException extends BatcherException {

  public ItemExpiredException(String message) {
    super(message);
  }
}
