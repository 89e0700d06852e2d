package io.expertflow.worker;

import io.expertflow.avro.InferenceRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Turns one decoded request into its outcome: the seam between the worker's Kafka delivery and the
 * inference pipeline (chunking, dynamic batching, engine, MoE head).
 *
 * <p>Threading: {@link #process} is called by the worker's poll thread and must not block; the
 * returned future may complete on any thread, exactly once. A future that completes exceptionally
 * is turned into a dead letter by {@link Failures}.
 */
public interface DocumentProcessor extends AutoCloseable {

  CompletableFuture<Outcome> process(InferenceRequest request, RequestContext context);

  /** Stops accepting work and finishes what was accepted; waits at most until the deadline. */
  @Override
  default void close() {}
}
