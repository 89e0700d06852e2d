package io.expertflow.operators.text;

/**
 * The document has nothing to analyse: it is empty, or holds only whitespace, control or format
 * characters, so tokenisation yields no token.
 */
public final class EmptyDocumentException extends TextRejectedException {

  private static final long serialVersionUID = 1L;

  private final int length;

  public EmptyDocumentException(int length) {
    super(
        length == 0
            ? "Document text is empty; send the text to analyse"
            : "Document text of "
                + length
                + " chars holds no token (only whitespace, control or format characters);"
                + " send the text to analyse");
    this.length = length;
  }

  /** Length of the rejected text in UTF-16 chars. */
  public int length() {
    return length;
  }
}
