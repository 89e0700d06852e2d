package io.expertflow.worker.pipeline;

/**
 * A document's embedding, folded from its chunk embeddings, with what its chunks cost.
 *
 * @param inferenceNanos engine time of the batches its chunks rode in
 * @param lastFinishedNanos {@link System#nanoTime()} when its last chunk batch finished
 */
record FoldedDocument(
    PreparedDocument doc, float[] embedding, long inferenceNanos, long lastFinishedNanos) {}
