package io.expertflow.operators.batching;

import java.util.List;

/**
 * The answer of {@link BatchAssembler#poll}: the items that expired (to be answered EXPIRED), and
 * either a batch to run now or how long to wait before polling again.
 *
 * @param expired items removed because their deadline passed; their futures are not yet completed
 * @param batch the batch to run now, or null
 * @param waitNanos when {@code batch} is null: nanoseconds until the next poll could release a
 *     batch or expire an item, {@link Long#MAX_VALUE} when the queue is empty; 0 with a batch
 */
public record BatchPoll<I, R>(
    List<QueuedItem<I, R>> expired, FormedBatch<I, R> batch, long waitNanos) {

  public BatchPoll {
    expired = List.copyOf(expired);
  }

  public boolean hasBatch() {
    return batch != null;
  }

  static <I, R> BatchPoll<I, R> ready(List<QueuedItem<I, R>> expired, FormedBatch<I, R> batch) {
    return new BatchPoll<>(expired, batch, 0);
  }

  static <I, R> BatchPoll<I, R> waitFor(List<QueuedItem<I, R>> expired, long waitNanos) {
    return new BatchPoll<>(expired, null, Math.max(1, waitNanos));
  }
}
