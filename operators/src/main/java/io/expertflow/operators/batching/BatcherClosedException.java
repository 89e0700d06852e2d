package io.expertflow.operators.batching;

/** An offer was rejected because the batcher is shutting down or has shut down. */
public final class BatcherClosedException extends BatcherException {

  public BatcherClosedException(String message) {
    super(message);
  }
}
