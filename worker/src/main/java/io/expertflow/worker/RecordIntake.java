package io.expertflow.worker;

import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Takes polled records of the consumer-group worker into work: each one goes through the {@link
 * DeliverySkeleton} (decoded, handed to the processor) and is tracked in the {@link
 * PartitionLedger}. A record that cannot be decoded (bad wire format, unknown schema, a tombstone)
 * is tracked with its rejection at once, so it ends as a dead letter in offset order. A record
 * whose schema cannot be fetched because the registry does not answer is not taken at all: no fault
 * of the record. A record that an earlier reader of the partition answered ahead of the committed
 * offset (named in the commit's metadata) is skipped.
 *
 * <p>Threading: {@link #accept} runs on the worker's poll thread. Outcomes arrive on {@code
 * completions}, from any thread, exactly once per taken record.
 */
final class RecordIntake {
  private final DeliverySkeleton skeleton;
  private final PartitionLedger ledger;
  private final Queue<PendingRecord> completions;

  RecordIntake(
      DeliverySkeleton skeleton, PartitionLedger ledger, Queue<PendingRecord> completions) {
    this.skeleton = skeleton;
    this.ledger = ledger;
    this.completions = completions;
  }

  /**
   * Takes the records of one poll into work, in order. Once a record of a partition waits for the
   * schema registry, the partition's later records of this poll are left alone too.
   *
   * @return for each partition with a record that waits, the offset to read it again from
   */
  Map<TopicPartition, Long> acceptAll(Iterable<ConsumerRecord<byte[], byte[]>> records) {
    Map<TopicPartition, Long> rewind = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      if (!rewind.containsKey(tp) && !accept(r)) {
        rewind.put(tp, r.offset());
      }
    }
    return rewind;
  }

  /**
   * Takes a polled record into work.
   *
   * @return false if the record waits for the schema registry: it was not taken, and the caller
   *     must read its partition again from it
   */
  boolean accept(ConsumerRecord<byte[], byte[]> r) {
    if (!ledger.isAssigned(new TopicPartition(r.topic(), r.partition()))) {
      return true; // polled just before a revocation; its new owner reads it again
    }
    if (ledger.skipIfAnswered(r)) {
      return true; // answered ahead of the committed offset by an earlier reader
    }
    DeliverySkeleton.Taken taken = skeleton.take(r, 1);
    if (taken instanceof DeliverySkeleton.Taken.Refused refused) {
      completions.add(ledger.track(r, refused.requestId(), refused.rejection()));
    } else if (taken instanceof DeliverySkeleton.Taken.Started started) {
      PendingRecord pending = ledger.track(r, started.requestId(), null);
      started.outcome().thenAccept(o -> completions.add(pending.withOutcome(o)));
    } else {
      return false;
    }
    return true;
  }
}
