package io.expertflow.model.corpus;

/** A corpus could not be fetched, verified or parsed; the message says what to do. */
public class CorpusFetchException extends RuntimeException {
  public CorpusFetchException(String message) {
    super(message);
  }

  public CorpusFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
