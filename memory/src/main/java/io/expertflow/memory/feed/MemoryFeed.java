package io.expertflow.memory.feed;

import io.expertflow.avro.MemoryRecord;
import io.expertflow.memory.DocumentMemory;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.WireFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link DocumentMemory} in step with the memory topic: reads every partition by assignment
 * (no consumer group, so any number of instances each build the whole memory), read_committed,
 * applies each record ({@link MemoryFeedApplier}) and refreshes the index after each non-empty
 * poll, so a correction is visible to queries within one poll of its commit.
 *
 * <p><b>Restarts.</b> Every {@code commitInterval}, and when the feed stops, the index is committed
 * together with the offsets it has applied and the topic's id (Lucene commit user data, one atomic
 * commit); a restarted feed seeks to them and replays only what it had not made durable. A new
 * folder replays the topic from the beginning; so does a folder built from another topic of the
 * same name (another topic id: the topic made again, another cluster), emptied first.
 *
 * <p><b>Failures.</b> An undecodable record or one the memory cannot hold is skipped, counted and
 * logged (its key and reason, never its content); a registry that cannot be reached is retried from
 * the same offset; any other failure stops the feed, and {@link #running()} turns false so its
 * component reports not ready rather than answering from a memory that no longer follows.
 *
 * <p><b>Threads.</b> One thread of its own, which owns the memory's writes; {@link #close()} from
 * any thread.
 */
public final class MemoryFeed implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryFeed.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(5);
  private static final Duration RETENTION_CHECK = Duration.ofMinutes(1);
  private static final Duration REGISTRY_BACKOFF = Duration.ofSeconds(1);

  private final String topic;
  private final DocumentMemory memory;
  private final Consumer<String, byte[]> consumer;
  private final Map<String, Object> kafkaProperties;
  private final String name;
  private final AvroDeserializer<MemoryRecord> values;
  private final MemoryFeedApplier applier;
  private final Clock clock;
  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;
  private volatile long undecodable;
  private String topicId;

  private MemoryFeed(
      String name,
      String topic,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      DocumentMemory memory,
      Duration retention,
      Clock clock) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.memory = Objects.requireNonNull(memory, "memory");
    this.clock = clock;
    this.values = new AvroDeserializer<>(registry, MemoryRecord.class);
    this.applier = new MemoryFeedApplier(memory, retention, clock, 100_000);
    Map<String, Object> c = new HashMap<>(kafkaProperties);
    c.keySet().removeIf(k -> k.startsWith("group.") || k.startsWith("transactional."));
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    this.kafkaProperties = new HashMap<>(kafkaProperties);
    this.name = name;
    this.thread = new Thread(this, name);
    this.thread.setDaemon(true);
  }

  /**
   * Starts a feed on a thread of its own.
   *
   * @param name the thread's and the Kafka client's id
   * @param kafkaProperties the component's Kafka client properties (security included); group
   *     settings are dropped
   */
  public static MemoryFeed start(
      String name,
      String topic,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      DocumentMemory memory,
      Duration retention) {
    MemoryFeed feed =
        new MemoryFeed(
            name, topic, kafkaProperties, registry, memory, retention, Clock.systemUTC());
    feed.thread.start();
    return feed;
  }

  /** Completes once the feed has applied the topic up to its end as of the feed's start. */
  public CompletableFuture<Void> caughtUp() {
    return caughtUp;
  }

  /** True while the feed follows the topic; false once it has stopped or failed. */
  public boolean running() {
    return running && failure == null;
  }

  /** Records applied to the memory since the start. */
  public long applied() {
    return applier.applied();
  }

  /** Records skipped since the start: undecodable ones and those the memory cannot hold. */
  public long skipped() {
    return applier.skipped() + undecodable;
  }

  @Override
  public void run() {
    List<TopicPartition> partitions = null;
    try {
      partitions = assign();
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Instant nextCommit = clock.instant().plus(COMMIT_INTERVAL);
      Instant nextRetention = clock.instant();
      boolean dirty = false;
      while (running) {
        ConsumerRecords<String, byte[]> batch = consumer.poll(POLL);
        boolean changed = false;
        for (TopicPartition tp : batch.partitions()) {
          for (ConsumerRecord<String, byte[]> r : batch.records(tp)) {
            if (!accept(r)) {
              // the registry is unreachable: read this record again after a pause
              consumer.seek(tp, r.offset());
              pause();
              break;
            }
            changed = true;
          }
        }
        Instant now = clock.instant();
        if (!now.isBefore(nextRetention)) {
          applier.enforceRetention();
          nextRetention = now.plus(RETENTION_CHECK);
          changed = true;
        }
        if (changed) {
          memory.refresh();
          dirty = true;
        }
        if (dirty && !now.isBefore(nextCommit)) {
          commit(partitions);
          dirty = false;
          nextCommit = now.plus(COMMIT_INTERVAL);
        }
        if (!caughtUp.isDone() && reached(end)) {
          caughtUp.complete(null);
          LOG.info(
              "memory feed caught up with {}: {} entries ({} records applied, {} skipped)",
              topic,
              memory.size(),
              applier.applied(),
              skipped());
        }
      }
    } catch (WakeupException e) {
      if (running) {
        fail(e);
      }
    } catch (IOException e) {
      fail(new UncheckedIOException(e));
    } catch (RuntimeException | Error e) {
      fail(e);
    } finally {
      if (partitions != null && failure == null) {
        lastCommit(partitions);
      }
      running = false;
      consumer.close();
      stopped.countDown();
    }
  }

  /**
   * Commits what was applied when the feed stops ({@link #close()} wakes the poll), so that a
   * restart resumes from there rather than replaying the whole topic.
   */
  private void lastCommit(List<TopicPartition> partitions) {
    try {
      commit(partitions);
    } catch (IOException | RuntimeException e) {
      LOG.warn("the memory feed of {} could not commit on stopping: {}", topic, e.toString());
    }
  }

  private void fail(Throwable e) {
    failure = e;
    caughtUp.completeExceptionally(e);
    LOG.error("memory feed of {} stopped: {}", topic, e.toString());
  }

  /** Assigns every partition and seeks each to the offset the index has made durable. */
  private List<TopicPartition> assign() throws IOException {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException(
          "topic " + topic + " does not exist; create the topics first (expertflow topics apply)");
    }
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo p : infos) {
      partitions.add(new TopicPartition(topic, p.partition()));
    }
    consumer.assign(partitions);
    topicId = FeedCommit.describeTopicId(kafkaProperties, name + "-admin", topic);
    Map<String, String> committed = memory.committedUserData();
    if (FeedCommit.fromAnotherTopic(
        committed,
        topicId,
        () -> consumer.endOffsets(partitions, Duration.ofSeconds(30)),
        memory.size())) {
      LOG.warn(
          "the document memory was built from an earlier topic named {}, or cannot say which"
              + " (it recorded topic id {}; the topic has id {}: it was made again, or this is"
              + " another cluster); it is emptied and rebuilt from the topic",
          topic,
          FeedCommit.topicId(committed).orElse("none"),
          topicId);
      memory.clear();
      memory.commit(FeedCommit.userData(Map.of(), topicId));
      committed = Map.of();
    }
    int resumed = 0;
    for (TopicPartition tp : partitions) {
      Optional<Long> offset = FeedCommit.offset(committed, tp);
      if (offset.isPresent()) {
        consumer.seek(tp, offset.get());
        resumed++;
      } else {
        consumer.seekToBeginning(List.of(tp));
      }
    }
    LOG.info(
        "memory feed reads {} ({} partitions, {} resumed from the index's last commit, {} entries)",
        topic,
        partitions.size(),
        resumed,
        memory.size());
    return partitions;
  }

  /** False when the registry could not be reached; true when the record was applied or skipped. */
  private boolean accept(ConsumerRecord<String, byte[]> r) throws IOException {
    if (r.key() == null) {
      undecodable++;
      LOG.warn("memory record {}-{}@{} has no key; skipped", topic, r.partition(), r.offset());
      return true;
    }
    MemoryRecord value = null;
    if (r.value() != null) {
      try {
        value = values.deserialize(r.topic(), r.value());
      } catch (WireFormatException e) {
        undecodable++;
        LOG.warn(
            "memory record {}-{}@{} cannot be decoded ({}); skipped",
            topic,
            r.partition(),
            r.offset(),
            e.reason());
        return true;
      } catch (SerializationException e) {
        LOG.warn("schema registry unreachable, retrying the memory feed: {}", e.getMessage());
        return false;
      }
    }
    if (!applier.apply(r.key(), value)) {
      LOG.warn(
          "memory record {}-{}@{} skipped: {}",
          topic,
          r.partition(),
          r.offset(),
          applier.lastSkipReason());
    }
    return true;
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void commit(List<TopicPartition> partitions) throws IOException {
    Map<TopicPartition, Long> positions = new HashMap<>();
    for (TopicPartition tp : partitions) {
      positions.put(tp, consumer.position(tp));
    }
    memory.commit(FeedCommit.userData(positions, topicId));
  }

  private void pause() {
    try {
      Thread.sleep(REGISTRY_BACKOFF.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Stops the feed and waits for its thread (the memory's last commit included). */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      if (!stopped.await(30, TimeUnit.SECONDS)) {
        LOG.warn("memory feed of {} did not stop within 30 s", topic);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
