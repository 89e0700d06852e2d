package io.expertflow.schemas.registry;

/**
 * The schema registry refused a request or could not be reached. {@link #status()} is the HTTP
 * status (-1 when no answer came) and {@link #errorCode()} the registry's error code (-1 if none).
 */
public class SchemaRegistryException extends RuntimeException {
  private final int status;
  private final int errorCode;

  public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  public int errorCode() {
    return errorCode;
  }

  /** True for "subject not found", "version not found" and "schema not found". */
  public boolean isNotFound() {
    return status == 404;
  }
}
