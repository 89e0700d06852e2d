package io.expertflow.operators.text;

/** The bytes are not well-formed UTF-8; says where the first malformed sequence starts. */
public final class InvalidUtf8Exception extends TextRejectedException {

  private static final long serialVersionUID = 1L;

  private final int byteOffset;
  private final int malformedLength;

  public InvalidUtf8Exception(int byteOffset, int malformedLength, int totalLength) {
    super(
        "Text is not valid UTF-8: malformed sequence of "
            + malformedLength
            + " byte(s) at byte offset "
            + byteOffset
            + " of "
            + totalLength
            + "; encode the text as UTF-8 (a single byte of 0x80-0xFF often means Latin-1 or"
            + " Windows-1252)");
    this.byteOffset = byteOffset;
    this.malformedLength = malformedLength;
  }

  /** Offset of the first byte of the first malformed sequence. */
  public int byteOffset() {
    return byteOffset;
  }

  /** Length in bytes of that malformed sequence. */
  public int malformedLength() {
    return malformedLength;
  }
}
