package io.expertflow.operators.batching;

import java.util.List;

/**
 * Figures of one formed batch, for metrics.
 *
 * @param size items in the batch
 * @param tokens sum of the item lengths
 * @param paddedTokens what the engine computes: {@code size x longest item}
 * @param oldestQueueDelayNanos how long the batch's oldest item waited before the batch formed
 * @param laneCounts items per priority lane, indexed by lane (0 = lowest)
 */
public record BatchStats(
    int size,
    long tokens,
    long paddedTokens,
    long oldestQueueDelayNanos,
    List<Integer> laneCounts) {

  public BatchStats {
    laneCounts = List.copyOf(laneCounts);
  }

  /** Padded tokens that carry no item: {@code paddedTokens - tokens}. */
  public long paddingWaste() {
    return paddedTokens - tokens;
  }
}
