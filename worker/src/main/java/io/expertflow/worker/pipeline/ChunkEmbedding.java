package io.expertflow.worker.pipeline;

import io.opentelemetry.api.trace.SpanContext;

/**
 * A chunk's embedding and the cost of the batch that computed it.
 *
 * @param vector L2-normalised chunk embedding
 * @param batchNanos engine time of the batch
 * @param finishedNanos {@link System#nanoTime()} when the batch finished
 * @param batch the batch's span (invalid when tracing is off)
 */
record ChunkEmbedding(float[] vector, long batchNanos, long finishedNanos, SpanContext batch) {}
