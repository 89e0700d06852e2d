package io.expertflow.cli.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches the outcomes while the run goes on: a {@code read_committed} reader of every partition of
 * {@code responses} and {@code dead-letters} from their end when it starts, which counts each
 * committed outcome into a {@link ThroughputTimeline} by the second it became visible, and keeps
 * the request ids answered with when their first outcome became visible (the record keys; no value
 * is decoded, so it reads on while the registry is away). The ledger itself is filled later by
 * {@link LedgerFeed}.
 *
 * <p>Threading: {@link #run} on its own thread; the other methods from any thread.
 */
public final class OutcomeWatch implements Runnable, AutoCloseable {
  private final Map<String, Object> kafka;
  private final List<String> topics;
  private final ThroughputTimeline timeline;
  private volatile long startNanos;
  private final Map<String, Long> answered = new HashMap<>();
  private final KafkaConsumer<String, byte[]> consumer;

  public OutcomeWatch(
      Map<String, Object> kafka,
      List<String> topics,
      ThroughputTimeline timeline,
      long startNanos) {
    this.kafka = kafka;
    this.topics = topics;
    this.timeline = timeline;
    this.startNanos = startNanos;
    Map<String, Object> p = new HashMap<>(this.kafka);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(
            p,
            new StringDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer
          .partitionsFor(topic)
          .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
  }

  @Override
  public void run() {
    try {
      while (true) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          long now = System.nanoTime();
          int second = (int) Math.floorDiv(now - startNanos, 1_000_000_000L);
          timeline.count(second);
          if (r.key() != null) {
            synchronized (answered) {
              answered.putIfAbsent(r.key(), now);
            }
          }
        }
      }
    } catch (WakeupException stop) {
      // closed
    } finally {
      consumer.close();
    }
  }

  /** Counts outcomes from now on by seconds since {@code nanos} ({@link System#nanoTime}). */
  public void startClock(long nanos) {
    this.startNanos = nanos;
  }

  /** How many of {@code ids} have an outcome so far. */
  public long answeredOf(Iterable<String> ids) {
    long n = 0;
    synchronized (answered) {
      for (String id : ids) {
        if (answered.containsKey(id)) {
          n++;
        }
      }
    }
    return n;
  }

  /** When the first outcome of {@code id} became visible ({@link System#nanoTime}), if it did. */
  public Long firstSeenNanos(String id) {
    synchronized (answered) {
      return answered.get(id);
    }
  }

  /** Outcomes seen so far, duplicates counted once. */
  public int answered() {
    synchronized (answered) {
      return answered.size();
    }
  }

  @Override
  public void close() {
    consumer.wakeup();
  }
}
