/**
 * The ONNX Runtime engine: {@link io.expertflow.model.engine.Engine} picks the execution provider
 * (CPU, CUDA, or CUDA with a CPU fallback) and opens {@link
 * io.expertflow.model.engine.EncoderSession}s (token ids to mean-pooled, normalised chunk
 * embeddings) and {@link io.expertflow.model.engine.HeadSession}s (document embeddings to labels,
 * experts, gate weights and domain). {@link io.expertflow.model.engine.DocumentEmbedding} folds
 * chunk embeddings into a document's.
 */
package io.expertflow.model.engine;
