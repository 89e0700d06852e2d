package io.expertflow.operators.batching;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeMap;

/**
 * The queued items, one FIFO lane per priority. Removal from the middle of a lane is O(1) so that
 * length grouping can take items out of order. Not thread-safe: guarded by the owner.
 */
final class PriorityLanes<I, R> {

  private final List<LinkedHashSet<QueuedItem<I, R>>> lanes;
  private final TreeMap<Integer, Integer> lengthCounts = new TreeMap<>();
  private int size;
  private long tokens;

  PriorityLanes(int laneCount) {
    lanes = new ArrayList<>(laneCount);
    for (int i = 0; i < laneCount; i++) {
      lanes.add(new LinkedHashSet<>());
    }
  }

  int laneCount() {
    return lanes.size();
  }

  void add(QueuedItem<I, R> item) {
    lanes.get(item.lane()).add(item);
    size++;
    tokens += item.tokens();
    lengthCounts.merge(item.tokens(), 1, Integer::sum);
  }

  void remove(QueuedItem<I, R> item) {
    if (lanes.get(item.lane()).remove(item)) {
      size--;
      tokens -= item.tokens();
      lengthCounts.computeIfPresent(
          item.tokens(), (length, count) -> count == 1 ? null : count - 1);
    }
  }

  int size() {
    return size;
  }

  long tokens() {
    return tokens;
  }

  /** The length of the longest queued item, 0 when empty. */
  int longest() {
    return lengthCounts.isEmpty() ? 0 : lengthCounts.lastKey();
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The oldest item of a lane, or null when the lane is empty. */
  QueuedItem<I, R> head(int lane) {
    Iterator<QueuedItem<I, R>> it = lanes.get(lane).iterator();
    return it.hasNext() ? it.next() : null;
  }

  /** The oldest item of all lanes, or null when empty. */
  QueuedItem<I, R> oldest() {
    QueuedItem<I, R> oldest = null;
    for (int lane = 0; lane < lanes.size(); lane++) {
      QueuedItem<I, R> head = head(lane);
      if (head != null && (oldest == null || head.sequence() < oldest.sequence())) {
        oldest = head;
      }
    }
    return oldest;
  }

  /** Iterates a lane oldest first; the caller must not modify the lanes while iterating. */
  Iterable<QueuedItem<I, R>> lane(int lane) {
    return lanes.get(lane);
  }

  /** Removes and returns every queued item, oldest first within each lane. */
  List<QueuedItem<I, R>> clear() {
    List<QueuedItem<I, R>> all = new ArrayList<>(size);
    for (LinkedHashSet<QueuedItem<I, R>> lane : lanes) {
      all.addAll(lane);
      lane.clear();
    }
    size = 0;
    tokens = 0;
    lengthCounts.clear();
    return all;
  }
}
