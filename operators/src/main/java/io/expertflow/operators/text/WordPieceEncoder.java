package io.expertflow.operators.text;

import java.util.Arrays;

/**
 * One tokenisation run: normalizes the text code point by code point, splits it into words on
 * whitespace and punctuation (BertPreTokenizer) and each word into WordPiece ids by greedy longest
 * match, keeping the UTF-16 offsets of every piece in the original text.
 *
 * <p>Holds the mutable state of a single call; not thread-safe, not reusable.
 */
final class WordPieceEncoder {

  private final WordPieceTokenizer tokenizer;
  private final BertNormalizer normalizer;
  private final int maxInputChars;
  private final int limit;

  private int[] ids;
  private int[] starts;
  private int[] ends;
  private int count;
  private boolean truncated;

  private char[] word = new char[64];
  private int[] wordStarts = new int[64];
  private int[] wordEnds = new int[64];
  private int wordLength;
  private int wordCodePoints;
  private int wordEnd;

  WordPieceEncoder(WordPieceTokenizer tokenizer, int expectedChars, int limit) {
    this.tokenizer = tokenizer;
    this.normalizer = tokenizer.normalizer();
    this.maxInputChars = tokenizer.maxInputCharsPerWord();
    this.limit = limit;
    int capacity = (int) Math.min(Math.max(16, expectedChars / 3L), Math.max(16L, limit + 1L));
    ids = new int[capacity];
    starts = new int[capacity];
    ends = new int[capacity];
  }

  TokenizedText encode(String text) {
    AddedTokenMatcher matcher = tokenizer.addedTokens();
    int n = text.length();
    int position = 0;
    while (position < n && !truncated) {
      AddedTokenMatcher.Match match = matcher.isEmpty() ? null : matcher.find(text, position, n);
      int segmentEnd = match == null ? n : match.start();
      encodeSegment(text, position, segmentEnd);
      flushWord();
      if (match == null || truncated) {
        break;
      }
      emit(match.id(), match.start(), match.start() + match.length());
      checkLimit();
      position = match.start() + match.length();
    }
    return new TokenizedText(
        Arrays.copyOf(ids, count),
        Arrays.copyOf(starts, count),
        Arrays.copyOf(ends, count),
        truncated);
  }

  private void encodeSegment(String text, int from, int to) {
    BertNormalizer norm = normalizer;
    for (int i = from; i < to && !truncated; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < to
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        appendExpansion(norm.normalize(Character.toCodePoint(c, text.charAt(i + 1))), i, i + 2);
        i++;
        continue;
      }
      switch (norm.kind(c)) {
        case BertNormalizer.WORD_CHAR:
          append(norm.singleChar(c), i, i + 1);
          break;
        case BertNormalizer.SPACE:
          flushWord();
          break;
        case BertNormalizer.ISOLATED_CHAR:
          flushWord();
          append(norm.singleChar(c), i, i + 1);
          flushWord();
          break;
        case BertNormalizer.EXPANDED:
          appendExpansion(norm.expansion(c), i, i + 1);
          break;
        default: // REMOVED
          break;
      }
    }
  }

  /** Classifies normalized output that came from the original chars {@code [start, end)}. */
  private void appendExpansion(String normalized, int start, int end) {
    for (int k = 0; k < normalized.length(); ) {
      int cp = normalized.codePointAt(k);
      int n = Character.charCount(cp);
      if (BertCharClasses.isWhitespace(cp)) {
        flushWord();
      } else if (BertCharClasses.isPunctuation(cp)) {
        flushWord();
        appendCodePoint(normalized, k, n, start, end);
        flushWord();
      } else {
        appendCodePoint(normalized, k, n, start, end);
      }
      k += n;
    }
  }

  private void appendCodePoint(String s, int k, int n, int start, int end) {
    append(s.charAt(k), start, end);
    if (n == 2) {
      append(s.charAt(k + 1), start, end);
    }
  }

  private void append(char c, int start, int end) {
    if (!(Character.isLowSurrogate(c)
        && wordLength > 0
        && Character.isHighSurrogate(word[wordLength - 1]))) {
      wordCodePoints++;
    }
    wordEnd = end;
    if (wordCodePoints > maxInputChars) {
      return; // the word becomes [UNK]; only its span is still needed
    }
    if (wordLength == word.length) {
      int grown = wordLength * 2;
      word = Arrays.copyOf(word, grown);
      wordStarts = Arrays.copyOf(wordStarts, grown);
      wordEnds = Arrays.copyOf(wordEnds, grown);
    }
    word[wordLength] = c;
    wordStarts[wordLength] = start;
    wordEnds[wordLength] = end;
    wordLength++;
  }

  private void flushWord() {
    if (wordCodePoints == 0) {
      return;
    }
    if (wordCodePoints > maxInputChars) {
      emit(tokenizer.unkId(), wordStarts[0], wordEnd);
    } else {
      splitIntoPieces();
    }
    wordLength = 0;
    wordCodePoints = 0;
    checkLimit();
  }

  /** Greedy longest match; a word with any unmatched rest becomes a single [UNK]. */
  private void splitIntoPieces() {
    CharRangeTable first = tokenizer.wordStartPieces();
    CharRangeTable next = tokenizer.continuationPieces();
    int mark = count;
    int start = 0;
    while (start < wordLength) {
      CharRangeTable table = start == 0 ? first : next;
      int end = Math.min(wordLength, start + table.maxKeyLength());
      int id = -1;
      for (; end > start; end--) {
        if (end < wordLength
            && Character.isLowSurrogate(word[end])
            && Character.isHighSurrogate(word[end - 1])) {
          continue; // never cut a surrogate pair
        }
        id = table.get(word, start, end);
        if (id >= 0) {
          break;
        }
      }
      if (id < 0) {
        count = mark;
        emit(tokenizer.unkId(), wordStarts[0], wordEnds[wordLength - 1]);
        return;
      }
      emit(id, wordStarts[start], wordEnds[end - 1]);
      start = end;
    }
  }

  private void emit(int id, int start, int end) {
    if (count == ids.length) {
      int grown = count * 2;
      ids = Arrays.copyOf(ids, grown);
      starts = Arrays.copyOf(starts, grown);
      ends = Arrays.copyOf(ends, grown);
    }
    ids[count] = id;
    starts[count] = start;
    ends[count] = end;
    count++;
  }

  private void checkLimit() {
    if (count > limit) {
      count = limit;
      truncated = true;
    }
  }
}
