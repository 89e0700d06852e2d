package io.expertflow.operators.text;

import java.util.List;

/**
 * A document cut into token windows. Immutable and thread-safe.
 *
 * @param chunks the windows in document order, at least one
 * @param totalTokens the document's tokens, without {@code [CLS]} and {@code [SEP]}
 * @param coveredTokens how many of them the windows hold ({@code totalTokens} unless truncated)
 * @param truncated true when the document needed more windows than allowed and the rest was cut
 */
public record ChunkedDocument(
    List<Chunk> chunks, int totalTokens, int coveredTokens, boolean truncated) {

  public ChunkedDocument {
    chunks = List.copyOf(chunks);
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException("a chunked document has at least one chunk");
    }
    if (coveredTokens > totalTokens || truncated != (coveredTokens < totalTokens)) {
      throw new IllegalArgumentException(
          "coveredTokens="
              + coveredTokens
              + ", totalTokens="
              + totalTokens
              + " and truncated="
              + truncated
              + " disagree");
    }
  }

  public int chunkCount() {
    return chunks.size();
  }
}
