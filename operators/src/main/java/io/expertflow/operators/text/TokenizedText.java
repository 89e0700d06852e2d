package io.expertflow.operators.text;

import java.util.Arrays;
import java.util.Objects;

/**
 * The WordPiece ids of a text, without {@code [CLS]} and {@code [SEP]}, with the span of each piece
 * in the original text as UTF-16 offsets ({@code text.substring(startOffset(i), endOffset(i))} is
 * what the piece came from). Immutable and thread-safe.
 */
public final class TokenizedText {

  private final int[] ids;
  private final int[] starts;
  private final int[] ends;
  private final boolean truncated;

  TokenizedText(int[] ids, int[] starts, int[] ends, boolean truncated) {
    this.ids = Objects.requireNonNull(ids);
    this.starts = Objects.requireNonNull(starts);
    this.ends = Objects.requireNonNull(ends);
    this.truncated = truncated;
  }

  /** Number of pieces. */
  public int size() {
    return ids.length;
  }

  public boolean isEmpty() {
    return ids.length == 0;
  }

  /** The id of piece {@code index}. */
  public int id(int index) {
    return ids[index];
  }

  /** A copy of all ids. */
  public int[] ids() {
    return ids.clone();
  }

  /** A copy of the ids of pieces {@code [from, to)}. */
  public int[] ids(int from, int to) {
    Objects.checkFromToIndex(from, to, ids.length);
    return Arrays.copyOfRange(ids, from, to);
  }

  /** Copies the ids of pieces {@code [from, to)} into {@code dest} at {@code destPos}. */
  public void copyIds(int from, int to, int[] dest, int destPos) {
    Objects.checkFromToIndex(from, to, ids.length);
    System.arraycopy(ids, from, dest, destPos, to - from);
  }

  /** UTF-16 index in the original text where piece {@code index} starts. */
  public int startOffset(int index) {
    return starts[index];
  }

  /** UTF-16 index in the original text just after piece {@code index}. */
  public int endOffset(int index) {
    return ends[index];
  }

  /**
   * True when tokenisation stopped at the requested maximum and the text has more pieces than
   * {@link #size()}.
   */
  public boolean truncated() {
    return truncated;
  }

  @Override
  public String toString() {
    return "TokenizedText[size=" + ids.length + ", truncated=" + truncated + "]";
  }
}
