package io.expertflow.operators.text;

import java.util.Map;

/**
 * An open-addressing hash table from strings to ids that is queried with a range of a char array,
 * so the WordPiece loop looks up candidate pieces without creating a string for each. Immutable and
 * thread-safe after construction.
 */
final class CharRangeTable {

  private final char[][] keys;
  private final int[] values;
  private final int mask;
  private final int maxKeyLength;

  /** Builds the table; keys of {@code entries} that are empty are ignored. */
  CharRangeTable(Map<String, Integer> entries) {
    int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2) - 1) << 1;
    keys = new char[capacity][];
    values = new int[capacity];
    mask = capacity - 1;
    int longest = 0;
    for (Map.Entry<String, Integer> e : entries.entrySet()) {
      char[] key = e.getKey().toCharArray();
      if (key.length == 0) {
        continue;
      }
      int slot = hash(key, 0, key.length) & mask;
      while (keys[slot] != null) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = key;
      values[slot] = e.getValue();
      longest = Math.max(longest, key.length);
    }
    maxKeyLength = longest;
  }

  /** Length in chars of the longest key; no longer range can match. */
  int maxKeyLength() {
    return maxKeyLength;
  }

  /** Returns the id of the key equal to {@code chars[from, to)}, or -1. */
  int get(char[] chars, int from, int to) {
    int length = to - from;
    if (length > maxKeyLength || length <= 0) {
      return -1;
    }
    int slot = hash(chars, from, to) & mask;
    char[] key;
    while ((key = keys[slot]) != null) {
      if (key.length == length && rangeEquals(key, chars, from)) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  private static boolean rangeEquals(char[] key, char[] chars, int from) {
    for (int i = 0; i < key.length; i++) {
      if (key[i] != chars[from + i]) {
        return false;
      }
    }
    return true;
  }

  private static int hash(char[] chars, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + chars[i];
    }
    return h ^ (h >>> 16) ^ (h >>> 7);
  }
}
