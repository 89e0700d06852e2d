package io.expertflow.worker;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A polled record whose outcome is awaited, bound to the assignment it was polled under: a
 * completion whose {@link #assignment} is no longer current (partition revoked or reset) is
 * dropped, since the record will be read again by its new owner.
 */
record PendingRecord(
    ConsumerRecord<byte[], byte[]> record, String requestId, Object assignment, Outcome outcome) {

  PendingRecord withOutcome(Outcome o) {
    return new PendingRecord(record, requestId, assignment, o);
  }
}
