/**
 * Measurements of the document memory: the HNSW index's recall against exact search, its query
 * latency, build time, heap and disk ({@link io.expertflow.bench.memory.MemoryIndexBenchmark}), and
 * the head alone against the head fused with its neighbours on the built-in corpora ({@link
 * io.expertflow.bench.memory.MemoryFusionEvaluation}).
 */
package io.expertflow.bench.memory;
