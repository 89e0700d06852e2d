package io.expertflow.operators.text;

/**
 * A {@code tokenizer.json} could not be read, is malformed, or asks for something this BERT
 * WordPiece tokenizer does not implement. The message names the field and the value found.
 */
public class TokenizerConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TokenizerConfigException(String message) {
    super(message);
  }

  public TokenizerConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
