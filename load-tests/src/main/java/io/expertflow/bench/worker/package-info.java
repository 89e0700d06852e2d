/**
 * The worker throughput benchmark: the engine alone against one worker through Kafka, on the same
 * model and documents, in one run ({@link io.expertflow.bench.worker.WorkerThroughputBenchmark}).
 */
package io.expertflow.bench.worker;
