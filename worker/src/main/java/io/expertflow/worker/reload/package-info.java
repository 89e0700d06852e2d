/**
 * Hot reload of expert updates in a worker: {@link
 * io.expertflow.worker.reload.ModelVersionFollower} follows the compacted {@code model-versions}
 * and {@code expert-updates} topics, builds the head of each new serving version off the hot path
 * and swaps it into the worker's {@link io.expertflow.worker.pipeline.ServingModelRef}.
 */
package io.expertflow.worker.reload;
