package io.expertflow.operators.batching;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One item waiting in, or taken from, the batch queue: its payload, its cost in tokens, its lane,
 * when it arrived, its optional deadline and the future that answers it. Immutable apart from the
 * future, which is completed exactly once by the batcher.
 *
 * @param <I> the payload
 * @param <R> the result
 */
public final class QueuedItem<I, R> {

  /** The deadline value meaning "no deadline". */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private final I payload;
  private final int tokens;
  private final int lane;
  private final long sequence;
  private final long enqueuedNanos;
  private final long deadlineNanos;
  private final CompletableFuture<R> future = new CompletableFuture<>();

  QueuedItem(I payload, int tokens, int lane, long sequence, long enqueuedNanos, long deadline) {
    this.payload = Objects.requireNonNull(payload, "payload");
    this.tokens = tokens;
    this.lane = lane;
    this.sequence = sequence;
    this.enqueuedNanos = enqueuedNanos;
    this.deadlineNanos = deadline;
  }

  public I payload() {
    return payload;
  }

  /** The item's length in tokens (its cost before padding). */
  public int tokens() {
    return tokens;
  }

  /** The priority lane, 0 = lowest. */
  public int lane() {
    return lane;
  }

  /** Arrival order; unique and increasing within one queue. */
  public long sequence() {
    return sequence;
  }

  /** The ticker reading when the item was queued. */
  public long enqueuedNanos() {
    return enqueuedNanos;
  }

  /** The ticker reading after which the item expires, or {@link #NO_DEADLINE}. */
  public long deadlineNanos() {
    return deadlineNanos;
  }

  public boolean hasDeadline() {
    return deadlineNanos != NO_DEADLINE;
  }

  /** Whether the deadline has passed at {@code now}. */
  public boolean isExpiredAt(long now) {
    return hasDeadline() && now - deadlineNanos >= 0;
  }

  /** How long the item has waited at {@code now}. */
  public long waitedNanos(long now) {
    return now - enqueuedNanos;
  }

  /** The future that answers this item; completed exactly once. */
  public CompletableFuture<R> future() {
    return future;
  }

  /** Completes the future with a result; a throwing dependent cannot reach the caller. */
  void succeed(R result) {
    isolated(() -> future.complete(result));
  }

  /** Completes the future exceptionally; a throwing dependent cannot reach the caller. */
  void fail(Throwable cause) {
    isolated(() -> future.completeExceptionally(cause));
  }

  /** Cancels the future; a throwing dependent cannot reach the caller. */
  void cancel() {
    isolated(() -> future.cancel(false));
  }

  private static void isolated(Runnable completion) {
    try {
      completion.run();
    } catch (RuntimeException | LinkageError e) {
      // CompletableFuture already captures exceptions of its dependents; this guard keeps any
      // other surprise from one item's callbacks away from the neighbours completed after it.
      System.getLogger(QueuedItem.class.getName())
          .log(System.Logger.Level.WARNING, "a callback of a batch item failed", e);
    }
  }

  @Override
  public String toString() {
    return "QueuedItem{seq=" + sequence + ", tokens=" + tokens + ", lane=" + lane + '}';
  }
}
