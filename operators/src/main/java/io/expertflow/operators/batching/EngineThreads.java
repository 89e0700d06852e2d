package io.expertflow.operators.batching;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine side of a {@link DynamicBatcher}: a fixed number of threads, each running one batch at
 * a time through the {@link BatchBisector}. Slots are reserved by the dispatcher before it forms a
 * batch, so the work queue never holds more than {@code concurrency} batches.
 */
final class EngineThreads<I, R> {

  private final int concurrency;
  private final ThreadPoolExecutor executor;
  private final BatchBisector<I, R> bisector;
  private final Ticker ticker;
  private final BatchListener listener;
  private final Runnable onSlotFreed;
  private final AtomicInteger inFlight = new AtomicInteger();

  EngineThreads(
      int concurrency,
      String name,
      BatchBisector<I, R> bisector,
      Ticker ticker,
      BatchListener listener,
      Runnable onSlotFreed) {
    this.concurrency = concurrency;
    this.bisector = bisector;
    this.ticker = ticker;
    this.listener = listener;
    this.onSlotFreed = onSlotFreed;
    AtomicInteger threadNumber = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            concurrency,
            concurrency,
            0L,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(concurrency),
            runnable -> {
              Thread thread =
                  new Thread(runnable, name + "-engine-" + threadNumber.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Called by the dispatcher only. */
  boolean hasFreeSlot() {
    return inFlight.get() < concurrency;
  }

  /** Called by the dispatcher only, before it takes a batch from the queue. */
  void reserveSlot() {
    inFlight.incrementAndGet();
  }

  int inFlight() {
    return inFlight.get();
  }

  /** Runs the batch on a reserved slot; every item is answered even if the executor refuses. */
  void submit(FormedBatch<I, R> batch) {
    try {
      executor.execute(() -> run(batch));
    } catch (RejectedExecutionException e) {
      failUnanswered(batch, e);
      release();
    }
  }

  void shutdown() {
    executor.shutdown();
  }

  boolean awaitTermination(long nanos) throws InterruptedException {
    return executor.awaitTermination(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  private void run(FormedBatch<I, R> batch) {
    long start = ticker.nanoTime();
    try {
      BatchBisector.Tally tally = bisector.run(batch.items());
      listener.onBatchCompleted(
          new BatchCompletion(
              batch.stats(),
              ticker.nanoTime() - start,
              tally.succeeded,
              tally.failed,
              tally.engineCalls));
    } catch (Throwable t) { // an Error from the engine: answer the items, then let it be logged
      failUnanswered(batch, t);
      throw t;
    } finally {
      release();
    }
  }

  private void release() {
    inFlight.decrementAndGet();
    onSlotFreed.run();
  }

  private static <I, R> void failUnanswered(FormedBatch<I, R> batch, Throwable cause) {
    for (QueuedItem<I, R> item : batch.items()) {
      if (!item.future().isDone()) {
        item.fail(cause);
      }
    }
  }
}
