package io.expertflow.operators.text;

/**
 * Input text that cannot be analysed. Each subclass stands for one dead-letter reason; callers map
 * them in one place. Messages never contain the text itself.
 */
public abstract class TextRejectedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  protected TextRejectedException(String message) {
    super(message);
  }
}
