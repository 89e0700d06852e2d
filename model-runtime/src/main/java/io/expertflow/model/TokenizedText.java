package io.expertflow.model;

import java.util.List;
import java.util.Objects;

/**
 * A text as encoder input.
 *
 * @param chunks token ids per chunk, in document order (at least one)
 * @param truncated whether tokens were dropped to respect a chunk or document limit
 */
public record TokenizedText(List<int[]> chunks, boolean truncated) {
  public TokenizedText {
    chunks = List.copyOf(Objects.requireNonNull(chunks, "chunks"));
  }

  /** The tokens of each chunk. */
  public int[] tokenCounts() {
    return chunks.stream().mapToInt(c -> c.length).toArray();
  }
}
