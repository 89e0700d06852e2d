package io.expertflow.operators.batching;

/**
 * An offer was rejected because the queue already holds its bound of items or tokens. The caller
 * should slow down (pause consumption) and offer again later.
 */
public final class BatcherFullException extends BatcherException {

  public BatcherFullException(String message) {
    super(message);
  }
}
