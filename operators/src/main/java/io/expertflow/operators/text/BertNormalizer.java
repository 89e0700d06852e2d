package io.expertflow.operators.text;

import java.text.Normalizer;

/**
 * The Hugging Face {@code BertNormalizer}, applied one code point at a time: clean text (drop NUL,
 * U+FFFD and control characters, turn whitespace into a space), put spaces around CJK ideographs,
 * strip accents (NFD, then drop non-spacing marks), lowercase.
 *
 * <p>Every step maps one code point to zero or more code points independently of its neighbours, so
 * the result for each code point of the Basic Multilingual Plane is computed once, when the
 * normalizer is built, and looked up in the hot loop. The only context NFD would add, canonical
 * reordering of adjacent combining marks, changes nothing once the non-spacing marks are dropped
 * except for the rare spacing marks with a non-zero combining class.
 *
 * <p>Immutable and thread-safe after construction.
 */
final class BertNormalizer {

  /** The code point disappears. */
  static final byte REMOVED = 0;

  /** The code point becomes whitespace: it ends the current word. */
  static final byte SPACE = 1;

  /** The code point becomes the single char {@link #singleChar(char)}, part of a word. */
  static final byte WORD_CHAR = 2;

  /**
   * The code point becomes the single char {@link #singleChar(char)} that forms a word of its own
   * (punctuation, CJK ideograph).
   */
  static final byte ISOLATED_CHAR = 3;

  /** The code point becomes the string {@link #expansion(char)}, classified char by char. */
  static final byte EXPANDED = 4;

  private static final int BMP_SIZE = 0x10000;

  private final boolean cleanText;
  private final boolean handleChineseChars;
  private final boolean stripAccents;
  private final boolean lowercase;

  private final byte[] kinds = new byte[BMP_SIZE];
  private final char[] singleChars = new char[BMP_SIZE];
  private final String[] expansions = new String[BMP_SIZE];

  BertNormalizer(
      boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {
    this.cleanText = cleanText;
    this.handleChineseChars = handleChineseChars;
    this.stripAccents = stripAccents;
    this.lowercase = lowercase;
    for (int cp = 0; cp < BMP_SIZE; cp++) {
      classify((char) cp, normalize(cp));
    }
  }

  /** Returns a normalizer that changes nothing (a tokenizer.json without normalizer). */
  static BertNormalizer identity() {
    return new BertNormalizer(false, false, false, false);
  }

  byte kind(char c) {
    return kinds[c];
  }

  char singleChar(char c) {
    return singleChars[c];
  }

  String expansion(char c) {
    return expansions[c];
  }

  /**
   * Normalizes one code point; spaces placed around a CJK ideograph are part of the result. Used
   * for the table and for code points outside the Basic Multilingual Plane.
   */
  String normalize(int cp) {
    if (cleanText) {
      if (cp == 0 || cp == 0xFFFD || BertCharClasses.isControl(cp)) {
        return "";
      }
      if (BertCharClasses.isWhitespace(cp)) {
        return " ";
      }
    }
    boolean spaced = handleChineseChars && BertCharClasses.isChineseChar(cp);
    String s = Character.toString(cp);
    if (stripAccents && cp >= 0x80) {
      s = withoutNonSpacingMarks(Normalizer.normalize(s, Normalizer.Form.NFD));
    }
    if (lowercase) {
      s = lowercasePerCodePoint(s);
    }
    return spaced ? " " + s + " " : s;
  }

  private void classify(char c, String normalized) {
    if (normalized.isEmpty()) {
      kinds[c] = REMOVED;
    } else if (normalized.length() == 1) {
      char out = normalized.charAt(0);
      singleChars[c] = out;
      if (BertCharClasses.isWhitespace(out)) {
        kinds[c] = SPACE;
      } else if (BertCharClasses.isPunctuation(out)) {
        kinds[c] = ISOLATED_CHAR;
      } else {
        kinds[c] = WORD_CHAR;
      }
    } else if (normalized.length() == 3
        && normalized.charAt(0) == ' '
        && normalized.charAt(2) == ' '
        && !Character.isSurrogate(normalized.charAt(1))) {
      kinds[c] = ISOLATED_CHAR;
      singleChars[c] = normalized.charAt(1);
    } else {
      kinds[c] = EXPANDED;
      expansions[c] = normalized;
    }
  }

  private static String withoutNonSpacingMarks(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      if (BertCharClasses.isNonSpacingMark(cp)) {
        if (out == null) {
          out = new StringBuilder(s.length()).append(s, 0, i);
        }
      } else if (out != null) {
        out.appendCodePoint(cp);
      }
      i += n;
    }
    return out == null ? s : out.toString();
  }

  /**
   * Lowercases each code point on its own, as the reference implementation does: no final-sigma
   * rule, and U+0130 (capital I with dot above) becomes "i" followed by U+0307, its full mapping.
   */
  private static String lowercasePerCodePoint(String s) {
    StringBuilder out = new StringBuilder(s.length() + 1);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (cp == 0x130) {
        out.append("i\u0307");
      } else {
        out.appendCodePoint(Character.toLowerCase(cp));
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }
}
