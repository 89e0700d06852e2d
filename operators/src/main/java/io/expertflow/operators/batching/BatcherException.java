package io.expertflow.operators.batching;

/**
 * Base of the batcher's own failures: an item that was not accepted, or not run. Failures of the
 * engine itself reach an item's future unchanged.
 */
public abstract class BatcherException extends RuntimeException {

  protected BatcherException(String message) {
    super(message);
  }
}
