package io.expertflow.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * TEST double: Kafka's {@link MockShareConsumer} (which ignores acknowledgements and wake-ups) made
 * to behave as a share consumer in explicit acknowledgement mode does where the worker depends on
 * it: it records each acknowledgement and each commit, refuses to poll while a record of the last
 * poll is unacknowledged, throws {@link WakeupException} from {@link #poll} after {@link #wakeup},
 * and waits up to the poll timeout (at most 20 ms) when it has nothing to return.
 */
final class AcknowledgingShareConsumer extends MockShareConsumer<byte[], byte[]> {
  private final Map<Long, List<AcknowledgeType>> acknowledged = new HashMap<>();
  private final Set<Long> unacknowledged = new HashSet<>();
  private boolean woken;
  private int commits;

  @Override
  public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    if (woken) {
      woken = false;
      throw new WakeupException();
    }
    if (!unacknowledged.isEmpty()) {
      throw new IllegalStateException(
          "poll with records of the last poll unacknowledged at offsets " + unacknowledged);
    }
    ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
    if (records.isEmpty()) {
      try {
        wait(Math.min(20, timeout.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    records.forEach(r -> unacknowledged.add(r.offset()));
    return records;
  }

  @Override
  public synchronized void acknowledge(ConsumerRecord<byte[], byte[]> r, AcknowledgeType type) {
    unacknowledged.remove(r.offset());
    acknowledged.computeIfAbsent(r.offset(), o -> new ArrayList<>()).add(type);
  }

  @Override
  public synchronized Map<TopicIdPartition, Optional<KafkaException>> commitSync(Duration timeout) {
    commits++;
    return Map.of();
  }

  @Override
  public synchronized void wakeup() {
    woken = true;
    notifyAll();
  }

  /** The acknowledgements of the record at {@code offset}, in order. */
  synchronized List<AcknowledgeType> acknowledgements(long offset) {
    return List.copyOf(acknowledged.getOrDefault(offset, List.of()));
  }

  /** Records acknowledged, and not yet committed or committed, in any way. */
  synchronized int acknowledgedRecords() {
    return acknowledged.size();
  }

  synchronized int commits() {
    return commits;
  }
}
