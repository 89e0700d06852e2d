package io.expertflow.operators.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Finds added tokens (such as {@code [CLS]} or {@code [SEP]}) verbatim in raw text, leftmost first
 * and, among those starting at the same place, longest first, as the reference implementation does.
 * Immutable and thread-safe.
 */
final class AddedTokenMatcher {

  private final String[] contents;
  private final int[] ids;
  private final char[] firstChars;

  AddedTokenMatcher(List<TokenizerJsonReader.AddedToken> tokens) {
    List<TokenizerJsonReader.AddedToken> sorted = new ArrayList<>(tokens);
    sorted.sort(
        Comparator.comparingInt((TokenizerJsonReader.AddedToken t) -> t.content().length())
            .reversed());
    contents = new String[sorted.size()];
    ids = new int[sorted.size()];
    StringBuilder first = new StringBuilder();
    for (int i = 0; i < sorted.size(); i++) {
      contents[i] = sorted.get(i).content();
      ids[i] = sorted.get(i).id();
      char c = contents[i].charAt(0);
      if (first.indexOf(String.valueOf(c)) < 0) {
        first.append(c);
      }
    }
    firstChars = first.toString().toCharArray();
  }

  /**
   * Returns the leftmost added token in {@code text[from, to)}, the longest one where several start
   * at the same place, or null when there is none.
   */
  Match find(String text, int from, int to) {
    int[] nextAt = new int[firstChars.length];
    Arrays.fill(nextAt, -2);
    int position = from;
    while (position < to) {
      int next = to;
      for (int k = 0; k < firstChars.length; k++) {
        if (nextAt[k] != -1 && nextAt[k] < position) {
          nextAt[k] = text.indexOf(firstChars[k], position);
        }
        if (nextAt[k] >= 0 && nextAt[k] < next) {
          next = nextAt[k];
        }
      }
      if (next >= to) {
        return null;
      }
      for (int i = 0; i < contents.length; i++) {
        if (next + contents[i].length() <= to && text.startsWith(contents[i], next)) {
          return new Match(next, contents[i].length(), ids[i]);
        }
      }
      position = next + 1;
    }
    return null;
  }

  boolean isEmpty() {
    return contents.length == 0;
  }

  /** An added token found at {@code start}, {@code length} chars long. */
  record Match(int start, int length, int id) {}
}
