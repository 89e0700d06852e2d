package io.expertflow.model.bundle;

/**
 * A model bundle cannot be read or written: a missing file, a checksum mismatch, a bad manifest
 * field. The message names the bundle, the file or field, and what was expected.
 */
public class ModelBundleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelBundleException(String message) {
    super(message);
  }

  public ModelBundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
