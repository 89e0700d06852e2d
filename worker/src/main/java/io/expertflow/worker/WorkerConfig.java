package io.expertflow.worker;

import io.expertflow.schemas.topics.TopicNames;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable, validated settings of the worker's Kafka side. Every setting has a properties key (see
 * {@link #SETTINGS}); the CLI's flags and environment variables map onto the same keys, so a
 * properties file, the environment and flags are three spellings of one configuration.
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
    ReloadConfig reload) {

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

  /** Every key, its default and its meaning: the source of docs/CONFIGURATION.md. */
  public static final List<Setting> SETTINGS =
      List.of(
          new Setting(
              "worker.id",
              "host name",
              "Stable id of this worker. It is the Kafka transactional id's stem, so a restarted"
                  + " worker with the same id fences its previous incarnation at once."),
          new Setting(
              "delivery.mode",
              "exactly_once",
              "exactly_once (transactions), at_least_once, or share_group (Kafka share groups)."),
          new Setting(
              "group.id", DEFAULT_GROUP_ID, "Consumer group (or share group) of the workers."),
          new Setting(
              "static.membership",
              String.valueOf(DEFAULT_STATIC_MEMBERSHIP),
              "Consumer-group modes: join as static member group.instance.id = worker.id, so a"
                  + " crashed worker restarted under the same id takes its partitions back at once"
                  + " instead of waiting for its dead member's session to time out. A worker that"
                  + " stops gracefully leaves the group either way. false: dynamic membership."),
          new Setting("topic.prefix", DEFAULT_TOPIC_PREFIX, "Prefix of every topic name."),
          new Setting(
              "max.in.flight",
              String.valueOf(DEFAULT_MAX_IN_FLIGHT),
              "Documents polled but not yet answered; above it the worker pauses its partitions and"
                  + " resumes below half of it (backpressure)."),
          new Setting(
              "commit.interval.ms",
              String.valueOf(DEFAULT_COMMIT_INTERVAL.toMillis()),
              "How often finished work is committed (one transaction per interval). Lower: less"
                  + " latency for read_committed readers; higher: fewer transactions."),
          new Setting(
              "max.poll.records", String.valueOf(DEFAULT_MAX_POLL_RECORDS), "Records per poll."),
          new Setting(
              "drain.timeout.ms",
              String.valueOf(DEFAULT_DRAIN_TIMEOUT.toMillis()),
              "On shutdown, how long to wait for in-flight documents before giving them back."),
          new Setting(
              "transaction.timeout.ms",
              String.valueOf(DEFAULT_TRANSACTION_TIMEOUT.toMillis()),
              "Kafka transaction timeout: an open transaction of a dead worker is aborted after it."),
          new Setting(
              "share.delivery.limit",
              String.valueOf(DEFAULT_SHARE_DELIVERY_LIMIT),
              "Share-group mode: a record delivered this many times is dead-lettered (DELIVERY_LIMIT)"
                  + " on that delivery, without being run again; at least 2. The worker sets its"
                  + " share group's share.delivery.count.limit to the same value."),
          new Setting(
              "http.port",
              String.valueOf(DEFAULT_HTTP_PORT),
              "Port of /metrics (Prometheus), /healthz and /readyz; 0 picks a free port, -1 none."));

  public WorkerConfig {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(deliveryMode, "deliveryMode");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    Objects.requireNonNull(reload, "reload");
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
   * A configuration from properties keyed as in {@link #SETTINGS} and {@link
   * ReloadConfig#SETTINGS}. Keys starting with {@code kafka.} are passed to the Kafka clients
   * without the prefix (security settings, for example).
   */
  public static WorkerConfig fromProperties(Map<String, String> props) {
    Map<String, Object> kafka = new LinkedHashMap<>();
    props.forEach(
        (k, v) -> {
          if (k.startsWith("kafka.")) {
            kafka.put(k.substring("kafka.".length()), v);
          }
        });
    return new WorkerConfig(
        props.getOrDefault("worker.id", hostName()),
        parseMode(props.getOrDefault("delivery.mode", "exactly_once")),
        props.getOrDefault("group.id", DEFAULT_GROUP_ID),
        Boolean.parseBoolean(
            props.getOrDefault("static.membership", String.valueOf(DEFAULT_STATIC_MEMBERSHIP))),
        props.getOrDefault("topic.prefix", DEFAULT_TOPIC_PREFIX),
        intOf(props, "max.in.flight", DEFAULT_MAX_IN_FLIGHT),
        Duration.ofMillis(
            intOf(props, "commit.interval.ms", (int) DEFAULT_COMMIT_INTERVAL.toMillis())),
        intOf(props, "max.poll.records", DEFAULT_MAX_POLL_RECORDS),
        Duration.ofMillis(intOf(props, "drain.timeout.ms", (int) DEFAULT_DRAIN_TIMEOUT.toMillis())),
        Duration.ofMillis(
            intOf(props, "transaction.timeout.ms", (int) DEFAULT_TRANSACTION_TIMEOUT.toMillis())),
        intOf(props, "share.delivery.limit", DEFAULT_SHARE_DELIVERY_LIMIT),
        intOf(props, "http.port", DEFAULT_HTTP_PORT),
        kafka,
        ReloadConfig.fromProperties(props));
  }

  public String topic(String logicalName) {
    return topicPrefix + logicalName;
  }

  private static DeliveryMode parseMode(String value) {
    try {
      return DeliveryMode.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "delivery.mode must be exactly_once, at_least_once or share_group, was '" + value + "'");
    }
  }

  private static int intOf(Map<String, String> props, String key, int fallback) {
    String v = props.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was '" + v + "'");
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "worker";
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid worker config: " + message);
    }
  }

  /** One configuration key. */
  public record Setting(String key, String defaultValue, String doc) {}
}
