package io.expertflow.operators.batching;

import java.util.List;

/**
 * Runs one batch on the engine. Called by the batcher's engine threads, at most {@code concurrency}
 * calls at a time (see {@link BatchPolicy#concurrency()}); an implementation that holds one engine
 * session per thread needs no further locking.
 *
 * @param <I> the item payload, for example a tokenised chunk
 * @param <R> the result of one item
 */
@FunctionalInterface
public interface BatchProcessor<I, R> {

  /**
   * Processes a batch.
   *
   * @param batch the payloads, unmodifiable, never empty
   * @return exactly one result per payload, in the same order
   * @throws Exception if the batch failed; the batcher then bisects the batch to isolate the
   *     failing items, so the same payload may be passed again in a smaller batch
   */
  List<R> process(List<I> batch) throws Exception;
}
