package io.expertflow.versions;

/** An expert-updates record that cannot be loaded: corrupt, missing, or of another shape. */
public final class ExpertWeightsException extends RuntimeException {
  public ExpertWeightsException(String message) {
    super(message);
  }
}
