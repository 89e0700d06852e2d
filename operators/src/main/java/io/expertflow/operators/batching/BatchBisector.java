package io.expertflow.operators.batching;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a batch on the {@link BatchProcessor} and answers every item, isolating failures: when the
 * processor throws for a batch, the batch is split in halves and each half is run again, until the
 * failing items stand alone. An item that fails alone is run again up to {@code maxAttempts} times
 * in all and then answered with the processor's last exception; its neighbours get their results.
 *
 * <p>Threading: stateless apart from its configuration; {@link #run} may be called from several
 * engine threads at once if the processor allows it.
 */
final class BatchBisector<I, R> {

  private final BatchProcessor<I, R> processor;
  private final int maxAttempts;
  private final BatchListener listener;

  BatchBisector(BatchProcessor<I, R> processor, int maxAttempts, BatchListener listener) {
    this.processor = processor;
    this.maxAttempts = maxAttempts;
    this.listener = listener;
  }

  /** Runs the items and completes each of their futures exactly once. */
  Tally run(List<QueuedItem<I, R>> items) {
    Tally tally = new Tally();
    List<QueuedItem<I, R>> live = new ArrayList<>(items.size());
    for (QueuedItem<I, R> item : items) {
      if (!item.future().isDone()) { // the caller may have cancelled it while it waited
        live.add(item);
      }
    }
    if (!live.isEmpty()) {
      runPart(live, tally);
    }
    return tally;
  }

  private void runPart(List<QueuedItem<I, R>> part, Tally tally) {
    try {
      succeed(part, call(part, tally), tally);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      part.forEach(item -> failFor(item, e, 1, tally));
    } catch (Exception e) {
      if (part.size() == 1) {
        retryAlone(part.get(0), e, tally);
      } else {
        int middle = part.size() / 2;
        runPart(part.subList(0, middle), tally);
        runPart(part.subList(middle, part.size()), tally);
      }
    }
  }

  private void retryAlone(QueuedItem<I, R> item, Exception firstFailure, Tally tally) {
    Exception last = firstFailure;
    int attempts = 1;
    while (attempts < maxAttempts) {
      attempts++;
      try {
        succeed(List.of(item), call(List.of(item), tally), tally);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failFor(item, e, attempts, tally);
        return;
      } catch (Exception e) {
        last = e;
      }
    }
    failFor(item, last, attempts, tally);
  }

  private List<R> call(List<QueuedItem<I, R>> part, Tally tally) throws Exception {
    List<I> payloads = new ArrayList<>(part.size());
    part.forEach(item -> payloads.add(item.payload()));
    tally.engineCalls++;
    List<R> results = processor.process(List.copyOf(payloads));
    if (results == null || results.size() != part.size()) {
      throw new IllegalStateException(
          "batch processor returned "
              + (results == null ? "null" : results.size() + " results")
              + " for a batch of "
              + part.size()
              + " items; it must return exactly one result per item, in order");
    }
    return results;
  }

  private void succeed(List<QueuedItem<I, R>> part, List<R> results, Tally tally) {
    for (int i = 0; i < part.size(); i++) {
      part.get(i).succeed(results.get(i));
    }
    tally.succeeded += part.size();
  }

  private void failFor(QueuedItem<I, R> item, Exception cause, int attempts, Tally tally) {
    item.fail(cause);
    tally.failed++;
    listener.onItemFailed(cause, attempts);
  }

  /** Counts of one run; confined to the thread that runs the batch. */
  static final class Tally {
    int succeeded;
    int failed;
    int engineCalls;
  }
}
