package io.expertflow.operators.text;

/**
 * Character classes of the Hugging Face BERT normalizer and pre-tokenizer, by Unicode general
 * category as Java's {@link Character} reports it, corrected to the reference implementation's
 * older Unicode tables by {@link ReferenceUnicodeCategories}.
 */
final class BertCharClasses {

  private BertCharClasses() {}

  /**
   * Unicode White_Space: U+0009..U+000D, U+0085 and the separators Zs, Zl, Zp (U+0020, U+00A0,
   * U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000). Unlike {@link
   * Character#isWhitespace(int)} this includes the no-break spaces and excludes U+001C..U+001F.
   */
  static boolean isWhitespace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || Character.isSpaceChar(cp);
  }

  /**
   * The "other" categories Cc, Cf, Cs and Co, except tab, line feed and carriage return, which the
   * normalizer treats as whitespace. Unassigned code points (Cn) are kept, as in the reference.
   */
  static boolean isControl(int cp) {
    if (cp == '\t'
        || cp == '\n'
        || cp == '\r'
        || ReferenceUnicodeCategories.isUnassignedInReference(cp)) {
      return false;
    }
    switch (Character.getType(cp)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.SURROGATE:
      case Character.PRIVATE_USE:
        return true;
      default:
        return false;
    }
  }

  /** ASCII punctuation (which includes symbols such as {@code $+<=>^`|~}) or any Unicode P*. */
  static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96)) {
      return true;
    }
    if (cp >= 123 && cp <= 126) {
      return true;
    }
    if (cp < 128 || ReferenceUnicodeCategories.isUnassignedInReference(cp)) {
      return false;
    }
    if (ReferenceUnicodeCategories.wasPunctuation(cp)) {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION:
      case Character.DASH_PUNCTUATION:
      case Character.START_PUNCTUATION:
      case Character.END_PUNCTUATION:
      case Character.INITIAL_QUOTE_PUNCTUATION:
      case Character.FINAL_QUOTE_PUNCTUATION:
      case Character.OTHER_PUNCTUATION:
        return true;
      default:
        return false;
    }
  }

  /** The CJK ideograph blocks that BERT surrounds with spaces so each ideograph is a word. */
  static boolean isChineseChar(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  static boolean isNonSpacingMark(int cp) {
    if (ReferenceUnicodeCategories.isUnassignedInReference(cp)
        || ReferenceUnicodeCategories.wasPunctuation(cp)) {
      return false;
    }
    return Character.getType(cp) == Character.NON_SPACING_MARK
        || ReferenceUnicodeCategories.wasNonSpacingMark(cp);
  }
}
