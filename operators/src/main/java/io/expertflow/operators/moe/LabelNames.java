package io.expertflow.operators.moe;

import java.util.Locale;
import java.util.Optional;

/**
 * What a label name may be, wherever one enters: training data, the order a trainer is given, a
 * corrected label in feedback (which may add the label to the model), a bundle being written. One
 * rule for all, so that every label a model can answer with can also be named by a correction, and
 * a bundle's {@code labels.txt} (one label per line) always reads back as it was written.
 *
 * <p>A label name is 1 to {@link #MAX_LENGTH} characters, does not start or end with white space
 * (labels are compared exactly: {@code "spam "} would be a new label beside {@code "spam"}) and has
 * no control character (a line break, a tab, ...), no line or paragraph separator and no lone
 * surrogate (it has no UTF-8 form). Anything else, any script or symbol, is allowed. Stateless.
 */
public final class LabelNames {
  /** Longest label name, in characters. */
  public static final int MAX_LENGTH = 200;

  private LabelNames() {}

  /** Why {@code name} cannot be a label (a message a person can act on), or empty if it can. */
  public static Optional<String> problem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("the label is empty");
    }
    if (name.length() > MAX_LENGTH) {
      return Optional.of(
          "the label has "
              + name.length()
              + " characters, more than the limit of "
              + MAX_LENGTH
              + " (it starts "
              + printable(name.substring(0, name.offsetByCodePoints(0, 20)))
              + "...)");
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      if (breaksALine(c)) {
        return Optional.of(
            "the label "
                + printable(name)
                + " has a control character ("
                + String.format(Locale.ROOT, "U+%04X", c)
                + "); a label is one line of text without tabs or other control characters");
      }
      if (Character.getType(c) == Character.SURROGATE) {
        return Optional.of(
            "the label "
                + printable(name)
                + " is not valid Unicode text (a lone surrogate at character "
                + (i + 1)
                + ")");
      }
      i += Character.charCount(c);
    }
    if (name.isBlank()) {
      return Optional.of("the label is only white space");
    }
    if (!name.strip().equals(name)) {
      return Optional.of(
          "the label "
              + printable(name)
              + " starts or ends with white space; labels are compared exactly, so it would be a"
              + " label of its own beside "
              + printable(name.strip()));
    }
    return Optional.empty();
  }

  /** {@code name} quoted, with control characters and lone surrogates escaped, for messages. */
  public static String printable(String name) {
    StringBuilder b = new StringBuilder(name.length() + 2).append('\'');
    name.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\'' -> b.append("\\'");
                case '\\' -> b.append("\\\\");
                default -> {
                  if (breaksALine(c) || Character.getType(c) == Character.SURROGATE) {
                    b.append(String.format(Locale.ROOT, "\\u%04x", c));
                  } else {
                    b.appendCodePoint(c);
                  }
                }
              }
            });
    return b.append('\'').toString();
  }

  /** A control character (a line break, a tab, ...) or a line or paragraph separator. */
  private static boolean breaksALine(int c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
  }
}
