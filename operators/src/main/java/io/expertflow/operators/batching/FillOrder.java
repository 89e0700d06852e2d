package io.expertflow.operators.batching;

import java.util.Comparator;

/**
 * The order in which queued items are offered to a forming batch, relative to its anchor:
 *
 * <ol>
 *   <li>rank: higher lanes before lower ones (items that have waited the aging bound have taken
 *       their share of the batch before this order applies, see {@link BatchAssembler});
 *   <li>within a rank, overdue items (waited the max queue delay) first, oldest first, so that no
 *       younger item of the same lane overtakes them;
 *   <li>then, with length grouping on, items whose length bucket is closest to the anchor's;
 *   <li>then oldest first.
 * </ol>
 */
final class FillOrder {

  private FillOrder() {}

  static <I, R> Comparator<QueuedItem<I, R>> relativeTo(
      QueuedItem<I, R> anchor, long now, BatchPolicy policy) {
    long maxDelayNanos = policy.maxQueueDelay().toNanos();
    int bucketTokens = policy.lengthBucketTokens();
    int anchorBucket = bucket(anchor.tokens(), bucketTokens);
    Comparator<QueuedItem<I, R>> byRank = Comparator.comparingInt(item -> -item.lane());
    Comparator<QueuedItem<I, R>> overdueFirst =
        Comparator.comparingInt(item -> item.waitedNanos(now) >= maxDelayNanos ? 0 : 1);
    Comparator<QueuedItem<I, R>> order = byRank.thenComparing(overdueFirst);
    if (policy.lengthGrouping()) {
      order =
          order.thenComparingInt(
              item ->
                  item.waitedNanos(now) >= maxDelayNanos
                      ? 0 // overdue items stay in FIFO order
                      : Math.abs(bucket(item.tokens(), bucketTokens) - anchorBucket));
    }
    return order.thenComparingLong(QueuedItem::sequence);
  }

  /** Whether the item must not be overtaken by younger items of its rank. */
  static boolean isOverdue(QueuedItem<?, ?> item, long now, BatchPolicy policy) {
    return item.waitedNanos(now) >= policy.maxQueueDelay().toNanos();
  }

  private static int bucket(int tokens, int bucketTokens) {
    return (tokens - 1) / bucketTokens;
  }
}
