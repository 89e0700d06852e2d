package io.expertflow.operators.batching;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The deterministic core of the batcher: a bounded queue of items in priority lanes that, given the
 * current time, answers the next batch or how long to wait. It holds no threads and reads no clock;
 * every decision depends only on the calls made and the {@code now} values passed in.
 *
 * <p>Forming a batch ({@link #poll}):
 *
 * <ol>
 *   <li>items past their deadline are removed and returned as expired, never batched;
 *   <li>the anchor is the oldest item that has waited the aging bound, else the oldest item of the
 *       highest non-empty lane;
 *   <li>then every overdue item (waited at least the max queue delay), highest rank first and FIFO
 *       within a rank, so no younger item overtakes an overdue one (rank: aged items first, then by
 *       lane); if one does not fit the budget the batch closes there;
 *   <li>then the remaining room is filled from the oldest {@code groupingWindow} items of each
 *       lane, closest in length bucket to the anchor first, then by rank and age;
 *   <li>the batch is released when it is full (no item however short would fit), when the oldest
 *       queued item has waited the max queue delay, or when draining; otherwise nothing is taken.
 * </ol>
 *
 * <p>Not thread-safe: one owner (the {@link DynamicBatcher}'s lock, or a single test thread).
 */
public final class BatchAssembler<I, R> {

  private static final Comparator<QueuedItem<?, ?>> BY_DEADLINE =
      Comparator.<QueuedItem<?, ?>>comparingLong(QueuedItem::deadlineNanos)
          .thenComparingLong(QueuedItem::sequence);

  private final BatchPolicy policy;
  private final PriorityLanes<I, R> lanes;
  private final TreeSet<QueuedItem<I, R>> byDeadline = new TreeSet<>(BY_DEADLINE);
  private final long maxDelayNanos;
  private final long agingNanos;
  private long nextSequence;

  public BatchAssembler(BatchPolicy policy) {
    this.policy = policy;
    this.lanes = new PriorityLanes<>(policy.priorityLanes());
    this.maxDelayNanos = policy.maxQueueDelay().toNanos();
    this.agingNanos = policy.agingBound().toNanos();
  }

  /**
   * Queues an item.
   *
   * @param deadlineNanos ticker reading after which the item expires, or {@link
   *     QueuedItem#NO_DEADLINE}
   * @return the queued item, whose future answers it
   * @throws IllegalArgumentException if tokens or priority are out of range
   * @throws BatcherFullException if the queue holds its bound of items or tokens
   */
  public QueuedItem<I, R> add(I payload, int tokens, int priority, long deadlineNanos, long now) {
    checkItem(tokens, priority);
    if (lanes.size() >= policy.maxQueuedItems()) {
      throw new BatcherFullException(
          "batch queue is full: "
              + lanes.size()
              + " items queued, the bound is maxQueuedItems="
              + policy.maxQueuedItems()
              + "; slow down or raise the bound");
    }
    if (lanes.tokens() + tokens > policy.maxQueuedTokens()) {
      throw new BatcherFullException(
          "batch queue is full: "
              + lanes.tokens()
              + " tokens queued and the item has "
              + tokens
              + ", the bound is maxQueuedTokens="
              + policy.maxQueuedTokens()
              + "; slow down or raise the bound");
    }
    QueuedItem<I, R> item =
        new QueuedItem<>(payload, tokens, priority, nextSequence++, now, deadlineNanos);
    lanes.add(item);
    if (item.hasDeadline()) {
      byDeadline.add(item);
    }
    return item;
  }

  /** Removes and returns the items whose deadline has passed at {@code now}. */
  public List<QueuedItem<I, R>> expireDue(long now) {
    List<QueuedItem<I, R>> expired = new ArrayList<>();
    while (!byDeadline.isEmpty() && byDeadline.first().isExpiredAt(now)) {
      QueuedItem<I, R> item = byDeadline.pollFirst();
      lanes.remove(item);
      expired.add(item);
    }
    return expired;
  }

  /**
   * Expires what is due, then takes the next batch if one should be released at {@code now}.
   *
   * @param drain release whatever is queued without waiting (shutdown)
   */
  public BatchPoll<I, R> poll(long now, boolean drain) {
    List<QueuedItem<I, R>> expired = expireDue(now);
    if (lanes.isEmpty()) {
      return BatchPoll.waitFor(expired, Long.MAX_VALUE);
    }
    QueuedItem<I, R> anchor = anchor(now);
    BatchSelection<I, R> selection =
        new BatchSelection<>(policy.maxBatchSize(), policy.maxBatchTokens());
    selection.tryAdd(anchor);
    boolean closed = !addOverdue(selection, now);
    if (!closed) {
      fillBySimilarLength(selection, anchor, now);
    }
    long releaseAt = lanes.oldest().enqueuedNanos() + maxDelayNanos;
    if (!(drain || closed || selection.isFull() || now - releaseAt >= 0)) {
      return BatchPoll.waitFor(expired, Math.min(releaseAt - now, nanosUntilNextDeadline(now)));
    }
    for (QueuedItem<I, R> item : selection.items()) {
      lanes.remove(item);
      byDeadline.remove(item);
    }
    return BatchPoll.ready(
        expired, new FormedBatch<>(selection.items(), selection.stats(now, lanes.laneCount())));
  }

  /** Nanoseconds until the earliest queued deadline, {@link Long#MAX_VALUE} if none. */
  public long nanosUntilNextDeadline(long now) {
    return byDeadline.isEmpty() ? Long.MAX_VALUE : byDeadline.first().deadlineNanos() - now;
  }

  /** Removes and returns every queued item (shutdown). */
  public List<QueuedItem<I, R>> removeAll() {
    byDeadline.clear();
    return lanes.clear();
  }

  public int size() {
    return lanes.size();
  }

  public long tokens() {
    return lanes.tokens();
  }

  public boolean isEmpty() {
    return lanes.isEmpty();
  }

  private void checkItem(int tokens, int priority) {
    if (tokens < 1 || tokens > policy.maxBatchTokens()) {
      throw new IllegalArgumentException(
          "item length must be between 1 and maxBatchTokens="
              + policy.maxBatchTokens()
              + " tokens but was "
              + tokens
              + "; split the document into shorter chunks or raise maxBatchTokens");
    }
    if (priority < 0 || priority >= lanes.laneCount()) {
      throw new IllegalArgumentException(
          "priority must be between 0 and "
              + (lanes.laneCount() - 1)
              + " but was "
              + priority
              + "; validate priorities at intake or raise priorityLanes");
    }
  }

  private QueuedItem<I, R> anchor(long now) {
    QueuedItem<I, R> oldest = lanes.oldest();
    if (oldest.waitedNanos(now) >= agingNanos) {
      return oldest;
    }
    for (int lane = lanes.laneCount() - 1; lane >= 0; lane--) {
      QueuedItem<I, R> head = lanes.head(lane);
      if (head != null) {
        return head;
      }
    }
    throw new IllegalStateException("no anchor in a non-empty queue");
  }

  /** Adds overdue items in rank order; returns false if one did not fit (the batch is closed). */
  private boolean addOverdue(BatchSelection<I, R> selection, long now) {
    List<QueuedItem<I, R>> overdue = new ArrayList<>();
    for (int lane = 0; lane < lanes.laneCount(); lane++) {
      int taken = 0;
      for (QueuedItem<I, R> item : lanes.lane(lane)) {
        if (item.waitedNanos(now) < maxDelayNanos || taken++ >= policy.maxBatchSize()) {
          break;
        }
        overdue.add(item);
      }
    }
    overdue.sort(byRank(now));
    for (QueuedItem<I, R> item : overdue) {
      if (!selection.contains(item) && !selection.tryAdd(item)) {
        return false;
      }
    }
    return true;
  }

  private void fillBySimilarLength(
      BatchSelection<I, R> selection, QueuedItem<I, R> anchor, long now) {
    List<QueuedItem<I, R>> candidates = new ArrayList<>();
    for (int lane = 0; lane < lanes.laneCount(); lane++) {
      int seen = 0;
      for (QueuedItem<I, R> item : lanes.lane(lane)) {
        if (seen++ >= policy.groupingWindow()) {
          break;
        }
        if (!selection.contains(item)) {
          candidates.add(item);
        }
      }
    }
    Comparator<QueuedItem<I, R>> order = byRank(now);
    if (policy.lengthGrouping()) {
      int anchorBucket = bucket(anchor.tokens());
      order =
          Comparator.<QueuedItem<I, R>>comparingInt(
                  i -> Math.abs(bucket(i.tokens()) - anchorBucket))
              .thenComparing(order);
    }
    candidates.sort(order);
    for (QueuedItem<I, R> item : candidates) {
      if (selection.isFull()) {
        return;
      }
      selection.tryAdd(item);
    }
  }

  /** Aged items first (oldest first), then higher lanes first, FIFO within a lane. */
  private Comparator<QueuedItem<I, R>> byRank(long now) {
    return Comparator.<QueuedItem<I, R>>comparingInt(
            i -> i.waitedNanos(now) >= agingNanos ? Integer.MIN_VALUE : -i.lane())
        .thenComparingLong(QueuedItem::sequence);
  }

  private int bucket(int tokens) {
    return (tokens - 1) / policy.lengthBucketTokens();
  }
}
