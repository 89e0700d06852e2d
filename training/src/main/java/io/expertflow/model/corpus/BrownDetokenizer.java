package io.expertflow.model.corpus;

import java.util.Set;

/**
 * Turns the Brown corpus's tagged text ({@code word/tag} tokens, one sentence per indented line)
 * back into plain running text: tags dropped, {@code ``} and {@code ''} become straight double
 * quotes, no space before closing punctuation or after opening brackets. Stateless.
 */
final class BrownDetokenizer {
  private static final Set<String> NO_SPACE_BEFORE =
      Set.of(".", ",", ";", ":", "?", "!", ")", "]", "''", "'", "...");
  private static final Set<String> NO_SPACE_AFTER = Set.of("``", "(", "[");

  private BrownDetokenizer() {}

  static String detokenize(String tagged) {
    StringBuilder out = new StringBuilder(tagged.length() / 2);
    boolean glueNext = true;
    for (String line : tagged.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      for (String token : trimmed.split("\\s+")) {
        String word = word(token);
        if (word.isEmpty()) {
          continue;
        }
        if (!glueNext && !NO_SPACE_BEFORE.contains(word)) {
          out.append(' ');
        }
        out.append(quote(word));
        glueNext = NO_SPACE_AFTER.contains(word);
      }
    }
    return out.toString();
  }

  /** The word of a {@code word/tag} token; the tag follows the last slash. */
  private static String word(String token) {
    int slash = token.lastIndexOf('/');
    return slash > 0 ? token.substring(0, slash) : token;
  }

  private static String quote(String word) {
    return switch (word) {
      case "``", "''" -> "\"";
      default -> word;
    };
  }
}
