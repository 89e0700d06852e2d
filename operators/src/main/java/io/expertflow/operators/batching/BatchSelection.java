package io.expertflow.operators.batching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A batch being chosen: admits items while the item count and the padded-token budget ({@code items
 * x longest item}) allow. Not thread-safe.
 */
final class BatchSelection<I, R> {

  private final int maxItems;
  private final long maxPaddedTokens;
  private final List<QueuedItem<I, R>> items = new ArrayList<>();
  private final Set<QueuedItem<I, R>> chosen = Collections.newSetFromMap(new IdentityHashMap<>());
  private int longest;
  private long tokens;

  BatchSelection(int maxItems, long maxPaddedTokens) {
    this.maxItems = maxItems;
    this.maxPaddedTokens = maxPaddedTokens;
  }

  /** Adds the item if it fits; returns whether it was added. */
  boolean tryAdd(QueuedItem<I, R> item) {
    if (chosen.contains(item) || !fits(item)) {
      return false;
    }
    items.add(item);
    chosen.add(item);
    longest = Math.max(longest, item.tokens());
    tokens += item.tokens();
    return true;
  }

  boolean fits(QueuedItem<I, R> item) {
    int size = items.size();
    return size < maxItems
        && (long) (size + 1) * Math.max(longest, item.tokens()) <= maxPaddedTokens;
  }

  boolean contains(QueuedItem<I, R> item) {
    return chosen.contains(item);
  }

  /** Whether no further item, however short, could be added. */
  boolean isFull() {
    int size = items.size();
    return size >= maxItems || (long) (size + 1) * Math.max(longest, 1) > maxPaddedTokens;
  }

  List<QueuedItem<I, R>> items() {
    return Collections.unmodifiableList(items);
  }

  int longest() {
    return longest;
  }

  long tokens() {
    return tokens;
  }

  long paddedTokens() {
    return (long) items.size() * longest;
  }

  /** The figures of the selected items at {@code now}. */
  BatchStats stats(long now, int laneCount) {
    Integer[] perLane = new Integer[laneCount];
    Arrays.fill(perLane, 0);
    QueuedItem<I, R> oldest = items.get(0);
    for (QueuedItem<I, R> item : items) {
      perLane[item.lane()]++;
      if (item.sequence() < oldest.sequence()) {
        oldest = item;
      }
    }
    return new BatchStats(
        items.size(), tokens, paddedTokens(), oldest.waitedNanos(now), List.of(perLane));
  }
}
