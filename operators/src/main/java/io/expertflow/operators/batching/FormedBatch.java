package io.expertflow.operators.batching;

import java.util.List;

/**
 * A batch taken out of the queue, ready for the engine, with its figures.
 *
 * @param items the items in the order they are passed to the engine
 * @param stats the figures of the batch
 */
public record FormedBatch<I, R>(List<QueuedItem<I, R>> items, BatchStats stats) {

  public FormedBatch {
    items = List.copyOf(items);
  }

  /** The payloads in batch order. */
  public List<I> payloads() {
    return items.stream().map(QueuedItem::payload).toList();
  }
}
