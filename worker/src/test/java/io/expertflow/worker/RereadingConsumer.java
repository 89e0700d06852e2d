package io.expertflow.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * TEST double: Kafka's {@link MockConsumer} with a log behind it, so that a {@link #seek} back
 * reads the records again as a real consumer would (the plain mock forgets records once polled).
 * Records go in with {@link #append} from the poll thread (through {@link #schedulePollTask}). An
 * empty poll waits up to its timeout (at most 20 ms), so a worker loop does not spin.
 */
final class RereadingConsumer extends MockConsumer<byte[], byte[]> {
  private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> log = new HashMap<>();

  RereadingConsumer() {
    super("earliest");
  }

  /** Appends {@code r} to its partition's log and makes it the next record to poll. */
  synchronized void append(ConsumerRecord<byte[], byte[]> r) {
    log.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayList<>())
        .add(r);
    addRecord(r);
  }

  @Override
  public synchronized void seek(TopicPartition tp, long offset) {
    super.seek(tp, offset);
    for (ConsumerRecord<byte[], byte[]> r : log.getOrDefault(tp, List.of())) {
      if (r.offset() >= offset) {
        addRecord(r);
      }
    }
  }

  @Override
  public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
    if (records.isEmpty()) {
      try {
        wait(Math.min(20, timeout.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return records;
  }
}
