package io.expertflow.operators.batching;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Groups items offered one at a time into batches for an engine, following a {@link BatchPolicy},
 * and answers each item through its own future.
 *
 * <p>Threading model: callers {@link #offer} from any thread; an offer never blocks on the engine
 * (it takes a short lock, and is rejected at once when the queue is full or closed). One dispatcher
 * thread forms batches with a {@link BatchAssembler}, and only when an engine thread is free, so
 * items keep gathering into fuller batches while the engine is busy. {@code concurrency} engine
 * threads call the {@link BatchProcessor}, one batch each at a time. Futures are completed on the
 * engine threads (results, failures), the dispatcher thread (EXPIRED), or the thread that calls
 * {@link #shutdownNow} (cancelled); attach slow callbacks with an {@code *Async} method.
 *
 * <p>Every accepted item's future is completed exactly once: with the processor's result, with
 * {@link ItemExpiredException}, with the processor's exception after bisection isolated the item,
 * or cancelled by {@link #shutdownNow}. A rejected offer returns an already failed future ({@link
 * BatcherFullException}, {@link BatcherClosedException}); it never blocks.
 *
 * @param <I> the item payload
 * @param <R> the result of one item
 */
public final class DynamicBatcher<I, R> implements AutoCloseable {

  private final Ticker ticker;
  private final BatchListener listener;
  private final BatchDispatcher<I, R> dispatcher;
  private final Thread dispatcherThread;

  DynamicBatcher(
      BatchPolicy policy,
      BatchProcessor<I, R> processor,
      Ticker ticker,
      BatchListener listener,
      String name) {
    this.ticker = ticker;
    this.listener = new SafeBatchListener(listener);
    BatchBisector<I, R> bisector =
        new BatchBisector<>(processor, policy.maxAttempts(), this.listener);
    this.dispatcher = new BatchDispatcher<>(policy, bisector, ticker, this.listener, name);
    this.dispatcherThread = new Thread(dispatcher, name + "-dispatcher");
    this.dispatcherThread.setDaemon(true);
  }

  /** A builder for a batcher with the given policy and processor. */
  public static <I, R> DynamicBatcherBuilder<I, R> builder(
      BatchPolicy policy, BatchProcessor<I, R> processor) {
    return new DynamicBatcherBuilder<>(policy, processor);
  }

  void start() {
    dispatcherThread.start();
  }

  /**
   * Offers an item of the lowest priority without a deadline; see {@link #offer(Object, int, int,
   * Duration)}.
   */
  public CompletableFuture<R> offer(I payload, int tokens) {
    return offer(payload, tokens, 0, null);
  }

  /**
   * Offers an item. Never blocks beyond a short lock.
   *
   * @param payload the item, passed to the processor as is
   * @param tokens the item's length in tokens, 1 to {@link BatchPolicy#maxBatchTokens()}
   * @param priority the lane, 0 (lowest) to {@link BatchPolicy#priorityLanes()} - 1
   * @param timeToDeadline time left until the answer is no longer wanted (zero or negative: already
   *     expired), or null for none
   * @return the item's future, or an already failed one if the offer was rejected
   * @throws IllegalArgumentException if tokens or priority are out of range
   */
  public CompletableFuture<R> offer(I payload, int tokens, int priority, Duration timeToDeadline) {
    Objects.requireNonNull(payload, "payload");
    long now = ticker.nanoTime();
    try {
      return dispatcher.add(payload, tokens, priority, deadline(now, timeToDeadline), now).future();
    } catch (BatcherFullException | BatcherClosedException e) {
      listener.onItemRejected(e);
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Items waiting to be batched. */
  public int queuedItems() {
    return dispatcher.queuedItems();
  }

  /** Tokens (sum of item lengths) waiting to be batched. */
  public long queuedTokens() {
    return dispatcher.queuedTokens();
  }

  /** Batches running on the engine now. */
  public int inFlightBatches() {
    return dispatcher.engine().inFlight();
  }

  /** Stops accepting offers; queued items still run, without waiting for fuller batches. */
  public void shutdown() {
    dispatcher.shutdown();
  }

  /**
   * Stops accepting offers and cancels every queued item; batches already on the engine finish.
   *
   * @return the number of items cancelled
   */
  public int shutdownNow() {
    List<QueuedItem<I, R>> cancelled = dispatcher.stop();
    cancelled.forEach(QueuedItem::cancel);
    return cancelled.size();
  }

  /**
   * Waits until, after a shutdown, the queue is drained and every batch has finished.
   *
   * @return whether everything finished within the timeout
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    dispatcherThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout.toNanos())));
    return !dispatcherThread.isAlive()
        && dispatcher.engine().awaitTermination(until - System.nanoTime());
  }

  /**
   * Drains: stops accepting offers, runs every queued item through the engine and returns when all
   * are answered. Use {@link #shutdown()} and {@link #awaitTermination} to bound the wait. If
   * interrupted, cancels what is still queued and restores the interrupt.
   */
  @Override
  public void close() {
    shutdown();
    try {
      while (!awaitTermination(Duration.ofSeconds(1))) {
        // close() promises a full drain
      }
    } catch (InterruptedException e) {
      shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static long deadline(long now, Duration timeToDeadline) {
    if (timeToDeadline == null) {
      return QueuedItem.NO_DEADLINE;
    }
    try {
      return Math.addExact(now, timeToDeadline.toNanos());
    } catch (ArithmeticException tooFar) {
      return QueuedItem.NO_DEADLINE;
    }
  }
}
