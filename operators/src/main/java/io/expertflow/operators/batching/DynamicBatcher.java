package io.expertflow.operators.batching;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

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
 * BatcherFullException}, {@link BatcherClosedException}).
 *
 * @param <I> the item payload
 * @param <R> the result of one item
 */
public final class DynamicBatcher<I, R> implements AutoCloseable {

  private enum State {
    RUNNING,
    DRAINING,
    STOPPED
  }

  private final BatchAssembler<I, R> assembler;
  private final Ticker ticker;
  private final BatchListener listener;
  private final EngineThreads<I, R> engine;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread dispatcher;
  private State state = State.RUNNING;

  DynamicBatcher(
      BatchPolicy policy,
      BatchProcessor<I, R> processor,
      Ticker ticker,
      BatchListener listener,
      String name) {
    this.assembler = new BatchAssembler<>(policy);
    this.ticker = ticker;
    this.listener = new SafeBatchListener(listener);
    BatchBisector<I, R> bisector =
        new BatchBisector<>(processor, policy.maxAttempts(), this.listener);
    this.engine =
        new EngineThreads<>(
            policy.concurrency(), name, bisector, ticker, this.listener, this::slotFreed);
    this.dispatcher = new Thread(this::dispatchLoop, name + "-dispatcher");
    this.dispatcher.setDaemon(true);
  }

  /** A builder for a batcher with the given policy and processor. */
  public static <I, R> DynamicBatcherBuilder<I, R> builder(
      BatchPolicy policy, BatchProcessor<I, R> processor) {
    return new DynamicBatcherBuilder<>(policy, processor);
  }

  void start() {
    dispatcher.start();
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
   * @param timeToDeadline time left until the answer is no longer wanted, or null for none
   * @return the item's future, or an already failed one if the offer was rejected
   * @throws IllegalArgumentException if tokens or priority are out of range
   */
  public CompletableFuture<R> offer(I payload, int tokens, int priority, Duration timeToDeadline) {
    Objects.requireNonNull(payload, "payload");
    long now = ticker.nanoTime();
    long deadline = deadline(now, timeToDeadline);
    BatcherException rejection;
    lock.lock();
    try {
      if (state != State.RUNNING) {
        rejection =
            new BatcherClosedException("batcher is shut down (" + state + "); offer no more");
      } else {
        QueuedItem<I, R> item = assembler.add(payload, tokens, priority, deadline, now);
        changed.signalAll();
        return item.future();
      }
    } catch (BatcherFullException e) {
      rejection = e;
    } finally {
      lock.unlock();
    }
    listener.onItemRejected(rejection); // outside the lock: listeners may be slow
    return CompletableFuture.failedFuture(rejection);
  }

  /** Items waiting to be batched. */
  public int queuedItems() {
    return locked(assembler::size);
  }

  /** Tokens (sum of item lengths) waiting to be batched. */
  public long queuedTokens() {
    return locked(assembler::tokens);
  }

  /** Batches running on the engine now. */
  public int inFlightBatches() {
    return engine.inFlight();
  }

  /** Stops accepting offers; queued items still run, without waiting for fuller batches. */
  public void shutdown() {
    lock.lock();
    try {
      if (state == State.RUNNING) {
        state = State.DRAINING;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops accepting offers and cancels every queued item; batches already on the engine finish.
   *
   * @return the number of items cancelled
   */
  public int shutdownNow() {
    List<QueuedItem<I, R>> cancelled;
    lock.lock();
    try {
      state = State.STOPPED;
      cancelled = assembler.removeAll();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    cancelled.forEach(QueuedItem::cancel);
    return cancelled.size();
  }

  /** Waits until the queue is drained and every batch has finished, after a shutdown. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    dispatcher.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout.toNanos())));
    return !dispatcher.isAlive() && engine.awaitTermination(until - System.nanoTime());
  }

  /**
   * Drains: stops accepting offers, runs every queued item through the engine and returns when all
   * are answered. If interrupted, cancels what is still queued and restores the interrupt.
   */
  @Override
  public void close() {
    shutdown();
    try {
      while (!awaitTermination(Duration.ofSeconds(1))) {
        // keep waiting: close() promises a full drain; use awaitTermination for a bound
      }
    } catch (InterruptedException e) {
      shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void dispatchLoop() {
    try {
      while (dispatchOnce()) {
        // loop until shut down and drained
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      shutdownNow(); // anything still queued after an unexpected exit is answered, not lost
      engine.shutdown();
    }
  }

  private boolean dispatchOnce() throws InterruptedException {
    BatchPoll<I, R> poll;
    lock.lock();
    try {
      if (state == State.STOPPED || (state == State.DRAINING && assembler.isEmpty())) {
        return false;
      }
      long now = ticker.nanoTime();
      if (engine.hasFreeSlot()) {
        poll = assembler.poll(now, state == State.DRAINING);
      } else {
        poll = BatchPoll.waitFor(assembler.expireDue(now), assembler.nanosUntilNextDeadline(now));
      }
      if (poll.hasBatch()) {
        engine.reserveSlot();
      } else if (poll.expired().isEmpty()) {
        changed.awaitNanos(poll.waitNanos());
      }
    } finally {
      lock.unlock();
    }
    for (QueuedItem<I, R> item : poll.expired()) {
      long waited = item.waitedNanos(ticker.nanoTime());
      item.fail(
          new ItemExpiredException(
              "deadline passed after " + waited / 1_000_000 + " ms in the batch queue"));
      listener.onItemExpired(item.lane(), waited);
    }
    if (poll.hasBatch()) {
      listener.onBatchFormed(poll.batch().stats());
      engine.submit(poll.batch());
    }
    return true;
  }

  private void slotFreed() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
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

  private <T> T locked(Supplier<T> read) {
    lock.lock();
    try {
      return read.get();
    } finally {
      lock.unlock();
    }
  }
}
