package io.expertflow.worker.pipeline;

/**
 * A chunk's embedding and the cost of the batch that computed it.
 *
 * @param vector L2-normalised chunk embedding
 * @param batchNanos engine time of the batch
 * @param finishedNanos {@link System#nanoTime()} when the batch finished
 */
record ChunkEmbedding(float[] vector, long batchNanos, long finishedNanos) {}
