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
 *   <li>the batch is filled from the oldest {@code groupingWindow} items of each lane in {@link
 *       FillOrder}: aged items, then lane by lane from the highest; within a lane overdue items
 *       (waited the max queue delay) oldest first, then the items closest in length to the anchor;
 *       items that would break the count or the padded-token budget are skipped, except that an
 *       overdue item that does not fit closes the batch, so no younger item overtakes it;
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
    long releaseAt = lanes.oldest().enqueuedNanos() + maxDelayNanos;
    boolean due = drain || now - releaseAt >= 0;
    if (!due && !couldFillABatch()) {
      return BatchPoll.waitFor(expired, Math.min(releaseAt - now, nanosUntilNextDeadline(now)));
    }
    QueuedItem<I, R> anchor = anchor(now);
    BatchSelection<I, R> selection =
        new BatchSelection<>(policy.maxBatchSize(), policy.maxBatchTokens());
    selection.tryAdd(anchor);
    boolean closed = !fill(selection, anchor, now);
    if (!(due || closed || selection.isFull())) {
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

  /**
   * A cheap necessary condition for a full batch, so that an offer to a short queue does not pay
   * for forming a batch that would not be released.
   */
  private boolean couldFillABatch() {
    int queued = lanes.size();
    return queued >= policy.maxBatchSize()
        || (long) (queued + 1) * lanes.longest() > policy.maxBatchTokens();
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

  /**
   * Offers the oldest {@code groupingWindow} items of each lane to the selection in {@link
   * FillOrder}; returns false if an overdue item did not fit, which closes the batch so that no
   * younger item overtakes it.
   */
  private boolean fill(BatchSelection<I, R> selection, QueuedItem<I, R> anchor, long now) {
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
    // aged items (any lane, oldest first) take at most half of the batch, the anchor included, so
    // that under an overload, where every item has aged, the higher lanes keep the other half
    int agedSlots = Math.max(1, policy.maxBatchSize() / 2);
    List<QueuedItem<I, R>> aged = new ArrayList<>();
    for (QueuedItem<I, R> item : candidates) {
      if (item.waitedNanos(now) >= agingNanos) {
        aged.add(item);
      }
    }
    aged.sort(Comparator.comparingLong(QueuedItem::sequence));
    for (QueuedItem<I, R> item : aged) {
      if (selection.isFull() || selection.items().size() >= agedSlots) {
        break;
      }
      if (!selection.tryAdd(item)) {
        return false; // an aged item is overdue: nothing younger of its lane may overtake it
      }
    }
    candidates.removeAll(selection.items());
    candidates.sort(FillOrder.relativeTo(anchor, now, policy));
    for (QueuedItem<I, R> item : candidates) {
      if (selection.isFull()) {
        return true;
      }
      if (!selection.tryAdd(item) && FillOrder.isOverdue(item, now, policy)) {
        return false;
      }
    }
    return true;
  }
}
