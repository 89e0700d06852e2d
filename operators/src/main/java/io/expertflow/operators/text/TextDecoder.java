package io.expertflow.operators.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Decodes UTF-8 bytes into text, either strictly (the first malformed sequence is an {@link
 * InvalidUtf8Exception} naming its byte offset) or replacing each malformed sequence with U+FFFD
 * and counting them. Immutable and thread-safe.
 */
public final class TextDecoder {

  /** What to do with bytes that are not well-formed UTF-8. */
  public enum Mode {
    /** Reject the input: {@link InvalidUtf8Exception}. */
    STRICT,
    /** Replace each malformed sequence with U+FFFD and report how many there were. */
    REPLACE
  }

  private static final char REPLACEMENT = '\uFFFD';

  private final Mode mode;

  public TextDecoder(Mode mode) {
    this.mode = Objects.requireNonNull(mode, "mode");
  }

  public static TextDecoder strict() {
    return new TextDecoder(Mode.STRICT);
  }

  public static TextDecoder replacing() {
    return new TextDecoder(Mode.REPLACE);
  }

  public Mode mode() {
    return mode;
  }

  /**
   * Decodes {@code bytes}; a leading byte order mark is kept as U+FEFF (the tokenizer drops it).
   *
   * @throws InvalidUtf8Exception in {@link Mode#STRICT} when the bytes are not UTF-8
   */
  public DecodedText decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    int replaced = 0;
    int firstInvalid = -1;
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isUnderflow()) {
        break;
      }
      if (result.isOverflow()) {
        out = grow(out);
        continue;
      }
      if (mode == Mode.STRICT) {
        throw new InvalidUtf8Exception(in.position(), result.length(), bytes.length);
      }
      if (firstInvalid < 0) {
        firstInvalid = in.position();
      }
      replaced++;
      in.position(in.position() + result.length());
      if (!out.hasRemaining()) {
        out = grow(out);
      }
      out.put(REPLACEMENT);
    }
    while (decoder.flush(out).isOverflow()) {
      out = grow(out);
    }
    out.flip();
    return new DecodedText(out.toString(), replaced, firstInvalid);
  }

  private static CharBuffer grow(CharBuffer out) {
    CharBuffer bigger = CharBuffer.allocate(Math.max(16, out.capacity() * 2));
    out.flip();
    return bigger.put(out);
  }
}
