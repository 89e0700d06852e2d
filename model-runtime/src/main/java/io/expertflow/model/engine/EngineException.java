package io.expertflow.model.engine;

/**
 * The engine could not do what was asked: a provider that cannot load, a model that does not fit
 * its signature, or ONNX Runtime failing on a batch. The message says what and what to do.
 */
public class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineException(String message) {
    super(message);
  }

  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
