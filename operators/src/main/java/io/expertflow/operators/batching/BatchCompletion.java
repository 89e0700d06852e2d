package io.expertflow.operators.batching;

/**
 * How a batch ended.
 *
 * @param stats the batch's figures when it was formed
 * @param durationNanos time from the first engine call until every item was answered, including the
 *     runs needed to isolate failing items
 * @param succeeded items answered with a result
 * @param failed items answered with the engine's exception
 * @param engineCalls calls made to the {@link BatchProcessor}: 1 unless the batch failed and was
 *     bisected
 */
public record BatchCompletion(
    BatchStats stats, long durationNanos, int succeeded, int failed, int engineCalls) {}
