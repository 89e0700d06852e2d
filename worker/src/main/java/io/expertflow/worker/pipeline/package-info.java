/**
 * The worker's inference pipeline behind {@link io.expertflow.worker.DocumentProcessor}: validate
 * and tokenise on a bounded CPU pool, batch chunks dynamically for the encoder, fold chunk
 * embeddings into document embeddings, batch documents for the MoE head, build the response.
 */
package io.expertflow.worker.pipeline;
