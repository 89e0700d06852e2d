package io.expertflow.streams.jobs.export;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every partition of a topic from its start to the end it had when reading began (committed
 * records only), keys as strings and values as bytes, without a consumer group. One thread.
 */
public final class TopicScan {
  /** What a read past its timeout says in the job commands, which have the flag. */
  public static final String RAISE_SCAN_TIMEOUT = "; raise --scan-timeout";

  private TopicScan() {}

  /** As {@link #read(Map, String, Duration, String, Consumer)}, for the job commands. */
  public static void read(
      Map<String, Object> clientProperties,
      String topic,
      Duration timeout,
      Consumer<ConsumerRecord<String, byte[]>> sink) {
    read(clientProperties, topic, timeout, RAISE_SCAN_TIMEOUT, sink);
  }

  /**
   * Passes each record to {@code sink}, in order within a partition.
   *
   * @param clientProperties Kafka client properties (bootstrap servers, security)
   * @param timeout how long reading may take
   * @param tooSlow what the timeout's message adds (what to do about it), or ""
   * @throws IllegalStateException when reading takes longer than {@code timeout}
   */
  public static void read(
      Map<String, Object> clientProperties,
      String topic,
      Duration timeout,
      String tooSlow,
      Consumer<ConsumerRecord<String, byte[]>> sink) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    // reading a topic that is not there must not make it on a broker that creates topics on use
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "reading " + topic + " took longer than " + timeout + tooSlow);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
            sink.accept(r);
          }
        }
      }
    }
  }
}
