package io.expertflow.operators.text;

import java.util.Objects;

/**
 * Text decoded from UTF-8 bytes, with what replacement decoding had to repair.
 *
 * @param text the decoded text
 * @param replacedSequences how many malformed byte sequences became U+FFFD (0 when valid)
 * @param firstInvalidByteOffset byte offset of the first malformed sequence, -1 when valid
 */
public record DecodedText(String text, int replacedSequences, int firstInvalidByteOffset) {

  public DecodedText {
    Objects.requireNonNull(text, "text");
    if (replacedSequences < 0 || (replacedSequences == 0) != (firstInvalidByteOffset == -1)) {
      throw new IllegalArgumentException(
          "replacedSequences="
              + replacedSequences
              + " and firstInvalidByteOffset="
              + firstInvalidByteOffset
              + " disagree");
    }
  }

  /** True when the bytes were well-formed UTF-8. */
  public boolean valid() {
    return replacedSequences == 0;
  }
}
