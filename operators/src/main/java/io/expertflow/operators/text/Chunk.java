package io.expertflow.operators.text;

import java.util.Arrays;
import java.util.Objects;

/**
 * One token window of a document, ready for the encoder: {@code [CLS]}, document tokens, {@code
 * [SEP]}, not padded. Immutable and thread-safe.
 */
public final class Chunk {

  private final int index;
  private final int[] tokenIds;
  private final int firstToken;
  private final int charStart;
  private final int charEnd;

  Chunk(int index, int[] tokenIds, int firstToken, int charStart, int charEnd) {
    this.index = index;
    this.tokenIds = Objects.requireNonNull(tokenIds);
    this.firstToken = firstToken;
    this.charStart = charStart;
    this.charEnd = charEnd;
  }

  /** Position of this window in its document, from 0. */
  public int index() {
    return index;
  }

  /** A copy of the ids, {@code [CLS]} first and {@code [SEP]} last. */
  public int[] tokenIds() {
    return tokenIds.clone();
  }

  /** The id at {@code position} of the window. */
  public int tokenId(int position) {
    return tokenIds[position];
  }

  /**
   * Number of real tokens, {@code [CLS]} and {@code [SEP]} included: the attention mask is 1 for
   * this many positions and 0 for any padding after them.
   */
  public int attentionLength() {
    return tokenIds.length;
  }

  /**
   * Writes the ids into a row of an int64 input tensor and pads the rest of the row.
   *
   * @param dest the tensor data, row-major
   * @param offset where the row starts in {@code dest}
   * @param rowLength the padded sequence length, at least {@link #attentionLength()}
   * @param padId the id to pad with
   */
  public void copyInto(long[] dest, int offset, int rowLength, int padId) {
    if (rowLength < tokenIds.length) {
      throw new IllegalArgumentException(
          "rowLength " + rowLength + " is shorter than the chunk (" + tokenIds.length + " tokens)");
    }
    Objects.checkFromIndexSize(offset, rowLength, dest.length);
    for (int i = 0; i < tokenIds.length; i++) {
      dest[offset + i] = tokenIds[i];
    }
    Arrays.fill(dest, offset + tokenIds.length, offset + rowLength, padId);
  }

  /** Index, among the document's tokens, of the first token of this window. */
  public int firstToken() {
    return firstToken;
  }

  /** UTF-16 offset in the document where the text of this window starts. */
  public int charStart() {
    return charStart;
  }

  /** UTF-16 offset in the document just after the text of this window. */
  public int charEnd() {
    return charEnd;
  }

  @Override
  public String toString() {
    return "Chunk[index=" + index + ", attentionLength=" + tokenIds.length + "]";
  }
}
