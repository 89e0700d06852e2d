package io.expertflow.worker;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings of every Kafka client of both delivery loops, built the same way: the caller's
 * connection settings, then the worker's {@link WorkerConfig#kafkaOverrides()} (security settings
 * from {@code --command-config} among them), then what delivery needs and no override may change
 * (manual commits, read_committed, idempotence, the transactional id, explicit acknowledgement).
 * One place, so no client of the worker can miss the security overrides. Stateless.
 */
final class ClientSettings {
  private ClientSettings() {}

  /** Connection settings followed by the worker's {@code kafka.*} overrides. */
  static Map<String, Object> connection(WorkerConfig config, Map<String, Object> base) {
    Map<String, Object> p = new HashMap<>(base);
    p.putAll(config.kafkaOverrides());
    return p;
  }

  /** The consumer-group consumer of {@code requests}. */
  static Map<String, Object> consumer(WorkerConfig config, Map<String, Object> base) {
    Map<String, Object> p = connection(config, base);
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

  /** The share consumer of {@code requests}: explicit acknowledgement of each record. */
  static Map<String, Object> shareConsumer(WorkerConfig config, Map<String, Object> base) {
    Map<String, Object> p = connection(config, base);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    p.put("share.acknowledgement.mode", "explicit");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-share-consumer");
    return p;
  }

  /** The producer of responses and dead letters; transactional in exactly-once mode. */
  static Map<String, Object> producer(
      WorkerConfig config, Map<String, Object> base, boolean transactional) {
    Map<String, Object> p = connection(config, base);
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

  /** The admin client that sets the share group's configuration. */
  static Map<String, Object> admin(WorkerConfig config, Map<String, Object> base) {
    Map<String, Object> p = connection(config, base);
    p.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, config.workerId() + "-admin");
    return p;
  }
}
