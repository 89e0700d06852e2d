package io.expertflow.operators.batching;

import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The dispatcher of a {@link DynamicBatcher}: guards the {@link BatchAssembler} with one lock,
 * accepts offers, and runs the loop that answers expired items and hands a batch to the {@link
 * EngineThreads} whenever one of them is free.
 *
 * <p>Threading: {@link #run} is the body of the single dispatcher thread; every other method may be
 * called from any thread. Futures are never completed while the lock is held.
 */
final class BatchDispatcher<I, R> implements Runnable {

  enum State {
    RUNNING,
    DRAINING,
    STOPPED
  }

  private final BatchAssembler<I, R> assembler;
  private final EngineThreads<I, R> engine;
  private final Ticker ticker;
  private final BatchListener listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private State state = State.RUNNING;

  BatchDispatcher(
      BatchPolicy policy,
      BatchBisector<I, R> bisector,
      Ticker ticker,
      BatchListener listener,
      String name) {
    this.assembler = new BatchAssembler<>(policy);
    this.ticker = ticker;
    this.listener = listener;
    this.engine =
        new EngineThreads<>(policy.concurrency(), name, bisector, ticker, listener, this::wake);
  }

  /**
   * Queues an item.
   *
   * @throws BatcherFullException if the queue is full
   * @throws BatcherClosedException if shut down
   */
  QueuedItem<I, R> add(I payload, int tokens, int priority, long deadline, long now) {
    lock.lock();
    try {
      if (state != State.RUNNING) {
        throw new BatcherClosedException("batcher is shut down (" + state + "); offer no more");
      }
      QueuedItem<I, R> item = assembler.add(payload, tokens, priority, deadline, now);
      changed.signalAll();
      return item;
    } finally {
      lock.unlock();
    }
  }

  /** Stops accepting offers; what is queued still runs. */
  void shutdown() {
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

  /** Stops accepting offers and removes what is queued; the caller answers the items. */
  List<QueuedItem<I, R>> stop() {
    lock.lock();
    try {
      state = State.STOPPED;
      changed.signalAll();
      return assembler.removeAll();
    } finally {
      lock.unlock();
    }
  }

  <T> T read(Supplier<T> read) {
    lock.lock();
    try {
      return read.get();
    } finally {
      lock.unlock();
    }
  }

  int queuedItems() {
    return read(assembler::size);
  }

  long queuedTokens() {
    return read(assembler::tokens);
  }

  EngineThreads<I, R> engine() {
    return engine;
  }

  @Override
  public void run() {
    try {
      while (dispatchOnce()) {
        // until shut down and drained
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stop().forEach(QueuedItem::cancel); // after an unexpected exit nothing queued is lost
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

  private void wake() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
