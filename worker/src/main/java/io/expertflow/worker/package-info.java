/**
 * The inference worker: consumes {@code requests}, runs each document through a {@link
 * io.expertflow.worker.DocumentProcessor} (chunking, dynamic batching, the engine, the MoE head)
 * and writes exactly one response or dead letter per request.
 *
 * <p>Delivery: in exactly-once mode a response is produced in the same Kafka transaction as the
 * offset that consumed its request, and only once every earlier record of its partition is done too
 * (see {@link io.expertflow.worker.PartitionLedger}), so a crash at any point neither loses nor
 * duplicates a response. At-least-once and share-group modes trade that for throughput or for more
 * workers than partitions. Both loops take records through one {@link
 * io.expertflow.worker.DeliverySkeleton} (decoding, processing, outcome records, registry outages)
 * and make their Kafka clients from {@link io.expertflow.worker.ClientSettings}; only how a record
 * is settled (offsets committed, or each record acknowledged) is their own.
 */
package io.expertflow.worker;
