package io.expertflow.versions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reading whole topics without a consumer group: every partition assigned, from the beginning, with
 * the end offsets at start to tell when the reader has caught up. Not thread-safe (like the
 * consumer it wraps).
 */
public final class AssignedPartitions {
  private final Consumer<?, ?> consumer;
  private final List<TopicPartition> partitions;
  private final Map<TopicPartition, Long> endAtStart;

  private AssignedPartitions(
      Consumer<?, ?> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
    this.consumer = consumer;
    this.partitions = partitions;
    this.endAtStart = end;
  }

  /**
   * Assigns every partition of {@code topics} and seeks to their beginning.
   *
   * @param catchUp the topics whose end offsets (now) {@link #caughtUp} compares with
   * @throws IllegalStateException if a topic does not exist
   */
  public static AssignedPartitions fromBeginning(
      Consumer<?, ?> consumer,
      Collection<String> topics,
      Collection<String> catchUp,
      Duration timeout) {
    List<TopicPartition> all = new ArrayList<>();
    List<TopicPartition> watched = new ArrayList<>();
    for (String topic : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException(
            "topic " + topic + " does not exist; create it (compacted where documented) first");
      }
      for (PartitionInfo p : infos) {
        TopicPartition tp = new TopicPartition(p.topic(), p.partition());
        all.add(tp);
        if (catchUp.contains(topic)) {
          watched.add(tp);
        }
      }
    }
    consumer.assign(all);
    consumer.seekToBeginning(all);
    return new AssignedPartitions(consumer, all, consumer.endOffsets(watched, timeout));
  }

  /** Whether the reader has read, on every watched partition, what was there when it started. */
  public boolean caughtUp() {
    for (Map.Entry<TopicPartition, Long> e : endAtStart.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  public List<TopicPartition> partitions() {
    return List.copyOf(partitions);
  }
}
