package io.expertflow.worker;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka clients of the consumer-group worker, how they are set up and how they are closed.
 * Settings are the caller's connection settings, then the worker's {@link
 * WorkerConfig#kafkaOverrides()}, then what delivery needs and no override may change (manual
 * commits, read_committed, idempotence, the transactional id).
 *
 * <p>Threading: the clients are used by the worker's poll thread only, except {@link
 * KafkaConsumer#wakeup()}; {@link #close()} runs on the poll thread when the loop ends.
 */
final class GroupClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupClients.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;

  /**
   * @param base connection settings for both clients (bootstrap servers, security)
   * @param transactional whether the producer is transactional (exactly-once mode)
   */
  GroupClients(WorkerConfig config, Map<String, Object> base, boolean transactional) {
    this.consumer =
        new KafkaConsumer<>(
            consumer(config, base), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.producer =
        new KafkaProducer<>(
            producer(config, base, transactional),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  KafkaConsumer<byte[], byte[]> consumer() {
    return consumer;
  }

  KafkaProducer<byte[], byte[]> producer() {
    return producer;
  }

  /** Closes both clients, each at most 5 s; a failure is logged, never thrown. */
  @Override
  public void close() {
    try {
      // a static member stays in its group on close unless told otherwise: a stopped worker's
      // partitions should move at once, not after the session timeout
      consumer.close(
          CloseOptions.timeout(CLOSE_TIMEOUT)
              .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    } catch (RuntimeException e) {
      LOG.warn("closing the consumer failed: {}", e.toString());
    }
    try {
      producer.close(CLOSE_TIMEOUT);
    } catch (RuntimeException e) {
      LOG.warn("closing the producer failed: {}", e.toString());
    }
  }

  /** Settings of the consumer of {@code requests}. */
  static Map<String, Object> consumer(WorkerConfig config, Map<String, Object> base) {
    Map<String, Object> p = new HashMap<>(base);
    p.putAll(config.kafkaOverrides());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-consumer");
    if (config.staticMembership()) {
      p.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.workerId());
    }
    return p;
  }

  /** Settings of the producer of responses and dead letters; transactional in exactly-once mode. */
  static Map<String, Object> producer(
      WorkerConfig config, Map<String, Object> base, boolean transactional) {
    Map<String, Object> p = new HashMap<>(base);
    p.putAll(config.kafkaOverrides());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, config.workerId() + "-producer");
    if (transactional) {
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "expertflow-worker-" + config.workerId());
      p.put(
          ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) config.transactionTimeout().toMillis());
    }
    return p;
  }
}
