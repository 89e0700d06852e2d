package io.expertflow.worker;

/** How a worker consumes requests and delivers responses. */
public enum DeliveryMode {
  /**
   * Consumer group; each response and the offset of its request are committed in one Kafka
   * transaction. No loss, no duplicates for read_committed readers. The default.
   */
  EXACTLY_ONCE,
  /** Consumer group; responses are flushed, then offsets committed. A crash can duplicate. */
  AT_LEAST_ONCE,
  /**
   * Kafka share group (KIP-932): more workers than partitions, per-record acknowledgement, a
   * delivery-count limit after which the record is dead-lettered. At-least-once.
   */
  SHARE_GROUP
}
