/**
 * Dynamic batching of inference items: a bounded, priority-laned queue that groups items of similar
 * length into padded-token-budgeted batches, answers expired items without running them, and
 * isolates items that make the engine fail.
 *
 * <p>Entry point: {@link io.expertflow.operators.batching.DynamicBatcher}, configured by {@link
 * io.expertflow.operators.batching.BatchPolicy}. The decisions live in the deterministic,
 * thread-free {@link io.expertflow.operators.batching.BatchAssembler}, which tests drive with a
 * fake clock. No Kafka and no ONNX Runtime here.
 */
package io.expertflow.operators.batching;
