package io.expertflow.operators.batching;

/**
 * Observes what the batcher does, for metrics (the worker feeds Micrometer from it). Every method
 * has an empty default, so implement only what you record.
 *
 * <p>Threading: methods are called from the batcher's dispatcher thread, its engine threads and,
 * for rejections, the offering thread, possibly at the same time: implementations must be
 * thread-safe and fast. An exception thrown by a listener is logged and otherwise ignored; it never
 * affects an item.
 */
public interface BatchListener {

  /** A listener that records nothing. */
  BatchListener NONE = new BatchListener() {};

  /** A batch was taken from the queue and is about to run. */
  default void onBatchFormed(BatchStats stats) {}

  /** A batch has finished: every item of it is answered. */
  default void onBatchCompleted(BatchCompletion completion) {}

  /** An item's deadline passed before it was batched; it is answered EXPIRED. */
  default void onItemExpired(int lane, long queuedNanos) {}

  /** An item failed alone after {@code attempts} runs; it is answered with {@code cause}. */
  default void onItemFailed(Throwable cause, int attempts) {}

  /** An offer was not accepted (queue full or batcher closed). */
  default void onItemRejected(BatcherException reason) {}
}
