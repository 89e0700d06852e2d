package io.expertflow.worker;

import io.expertflow.memory.feed.MemoryKeys;
import io.expertflow.memory.feed.MemorySettings;
import io.expertflow.schemas.settings.HostName;
import io.expertflow.schemas.settings.SettingValues;
import io.expertflow.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable, validated settings of the worker's Kafka side. Every setting has a key in {@link
 * WorkerKeys}; a properties file, the environment and flags are three spellings of one
 * configuration.
 */
public record WorkerConfig(
    String workerId,
    DeliveryMode deliveryMode,
    String groupId,
    boolean staticMembership,
    String topicPrefix,
    int maxInFlight,
    Duration commitInterval,
    int maxPollRecords,
    Duration drainTimeout,
    Duration transactionTimeout,
    int shareDeliveryLimit,
    int httpPort,
    Map<String, Object> kafkaOverrides,
    ReloadConfig reload,
    MemorySettings memory) {

  public static final String DEFAULT_GROUP_ID = "expertflow-workers";
  public static final boolean DEFAULT_STATIC_MEMBERSHIP = true;
  public static final String DEFAULT_TOPIC_PREFIX = TopicNames.DEFAULT_PREFIX;
  public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);
  public static final int DEFAULT_MAX_POLL_RECORDS = 500;
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_SHARE_DELIVERY_LIMIT = 5;
  public static final int DEFAULT_HTTP_PORT = -1;

  public WorkerConfig {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(deliveryMode, "deliveryMode");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    Objects.requireNonNull(reload, "reload");
    Objects.requireNonNull(memory, "memory");
    kafkaOverrides = Map.copyOf(kafkaOverrides);
    require(!workerId.isBlank(), "worker.id must not be blank");
    require(maxInFlight >= 1, "max.in.flight must be >= 1, was " + maxInFlight);
    require(
        !commitInterval.isNegative() && !commitInterval.isZero(),
        "commit.interval.ms must be > 0, was " + commitInterval.toMillis());
    require(maxPollRecords >= 1, "max.poll.records must be >= 1, was " + maxPollRecords);
    require(
        transactionTimeout.compareTo(commitInterval) > 0,
        "transaction.timeout.ms must exceed commit.interval.ms");
    require(
        shareDeliveryLimit >= 2,
        "share.delivery.limit must be >= 2 (1 would dead-letter every record on its first"
            + " delivery), was "
            + shareDeliveryLimit);
    require(httpPort >= -1 && httpPort <= 65535, "http.port must be -1 to 65535, was " + httpPort);
  }

  /** The defaults, with the host name as worker id. */
  public static WorkerConfig defaults() {
    return fromProperties(Map.of());
  }

  /**
   * A configuration from properties keyed as in {@link WorkerKeys}. Keys starting with {@code
   * kafka.} are passed to the Kafka clients without the prefix (security settings, for example).
   *
   * @throws IllegalArgumentException naming an unknown key or a bad value
   */
  public static WorkerConfig fromProperties(Map<String, String> props) {
    return from(SettingValues.of(WorkerKeys.TABLE, props));
  }

  /** A configuration from the bound worker settings. */
  public static WorkerConfig from(SettingValues v) {
    String workerId = v.given(WorkerKeys.WORKER_ID).orElseGet(() -> HostName.orElse("worker"));
    return new WorkerConfig(
        workerId,
        v.get(WorkerKeys.DELIVERY_MODE),
        v.get(WorkerKeys.GROUP_ID),
        v.get(WorkerKeys.STATIC_MEMBERSHIP),
        v.get(WorkerKeys.TOPIC_PREFIX),
        v.get(WorkerKeys.MAX_IN_FLIGHT),
        v.get(WorkerKeys.COMMIT_INTERVAL),
        v.get(WorkerKeys.MAX_POLL_RECORDS),
        v.get(WorkerKeys.DRAIN_TIMEOUT),
        v.get(WorkerKeys.TRANSACTION_TIMEOUT),
        v.get(WorkerKeys.SHARE_DELIVERY_LIMIT),
        v.get(WorkerKeys.HTTP_PORT),
        new LinkedHashMap<>(v.passThrough(WorkerKeys.KAFKA_PREFIX)),
        ReloadConfig.from(v),
        MemoryKeys.settings(v, workerId));
  }

  /** The same settings with another document memory. */
  public WorkerConfig withMemory(MemorySettings value) {
    return new WorkerConfig(
        workerId,
        deliveryMode,
        groupId,
        staticMembership,
        topicPrefix,
        maxInFlight,
        commitInterval,
        maxPollRecords,
        drainTimeout,
        transactionTimeout,
        shareDeliveryLimit,
        httpPort,
        kafkaOverrides,
        reload,
        value);
  }

  public String topic(String logicalName) {
    return topicPrefix + logicalName;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid worker config: " + message);
    }
  }
}
