package io.expertflow.schemas.topics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What one Kafka topic must look like: its name (a prefix plus a logical name), partitions,
 * replication factor, cleanup policy, retention and any further topic configs.
 *
 * <p>Immutable and validated when built; safe to share between threads.
 */
public final class TopicSpec {

  /** Partitions of a topic when the builder is not told otherwise. */
  public static final int DEFAULT_PARTITIONS = 1;

  /** Replication factor when the builder is not told otherwise (a single-node cluster). */
  public static final short DEFAULT_REPLICATION_FACTOR = 1;

  /** Kafka's own limit on topic names: length and characters. */
  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private final String prefix;
  private final String logicalName;
  private final int partitions;
  private final short replicationFactor;
  private final CleanupPolicy cleanupPolicy;
  private final Duration retention;
  private final Integer minInsyncReplicas;
  private final Map<String, String> extraConfigs;

  private TopicSpec(Builder builder) {
    this.prefix = builder.prefix;
    this.logicalName = builder.logicalName;
    this.partitions = builder.partitions;
    this.replicationFactor = builder.replicationFactor;
    this.cleanupPolicy = builder.cleanupPolicy;
    this.retention = builder.retention;
    this.minInsyncReplicas = builder.minInsyncReplicas;
    this.extraConfigs = Map.copyOf(builder.extraConfigs);
    validate();
  }

  /** Starts a spec of the topic with this logical name (for example {@code requests}). */
  public static Builder builder(String logicalName) {
    return new Builder(logicalName);
  }

  /** A builder that starts from this spec's values. */
  public Builder toBuilder() {
    Builder builder =
        new Builder(logicalName)
            .prefix(prefix)
            .partitions(partitions)
            .replicationFactor(replicationFactor)
            .cleanupPolicy(cleanupPolicy);
    builder.retention = retention;
    builder.minInsyncReplicas = minInsyncReplicas;
    builder.extraConfigs.putAll(extraConfigs);
    return builder;
  }

  /** The Kafka topic name: prefix followed by the logical name. */
  public String name() {
    return prefix + logicalName;
  }

  /** The name without its prefix, as the design names the topic. */
  public String logicalName() {
    return logicalName;
  }

  public String prefix() {
    return prefix;
  }

  public int partitions() {
    return partitions;
  }

  public short replicationFactor() {
    return replicationFactor;
  }

  public CleanupPolicy cleanupPolicy() {
    return cleanupPolicy;
  }

  /** How long records are kept; empty means the broker's default ({@code log.retention.*}). */
  public Optional<Duration> retention() {
    return Optional.ofNullable(retention);
  }

  /**
   * How many replicas must acknowledge a write with {@code acks=all} ({@code min.insync.replicas});
   * empty means the broker's default.
   */
  public Optional<Integer> minInsyncReplicas() {
    return Optional.ofNullable(minInsyncReplicas);
  }

  /** Topic configs beyond cleanup policy, retention and min ISR, as given to the builder. */
  public Map<String, String> extraConfigs() {
    return extraConfigs;
  }

  /**
   * Every topic config this spec sets: cleanup policy, retention and min ISR if set, and the
   * extras.
   */
  public Map<String, String> topicConfigs() {
    Map<String, String> configs = new LinkedHashMap<>(extraConfigs);
    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.configValue());
    if (retention != null) {
      configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    }
    if (minInsyncReplicas != null) {
      configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsyncReplicas.toString());
    }
    return Map.copyOf(configs);
  }

  /** The Admin API request that creates this topic. */
  public NewTopic toNewTopic() {
    return new NewTopic(name(), partitions, replicationFactor).configs(topicConfigs());
  }

  private void validate() {
    if (!LEGAL_NAME.matcher(name()).matches() || name().equals(".") || name().equals("..")) {
      throw new IllegalArgumentException(
          "Illegal topic name '"
              + name()
              + "' (prefix '"
              + prefix
              + "', logical name '"
              + logicalName
              + "'): use 1 to 249 characters of a-z, A-Z, 0-9, '.', '_' and '-'.");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "Topic " + name() + ": partitions must be at least 1, got " + partitions + ".");
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "Topic "
              + name()
              + ": replication factor must be at least 1, got "
              + replicationFactor
              + ".");
    }
    if (retention != null && retention.isNegative()) {
      throw new IllegalArgumentException(
          "Topic " + name() + ": retention must not be negative, got " + retention + ".");
    }
    if (minInsyncReplicas != null
        && (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor)) {
      throw new IllegalArgumentException(
          "Topic "
              + name()
              + ": min.insync.replicas must be between 1 and the replication factor ("
              + replicationFactor
              + "), got "
              + minInsyncReplicas
              + ".");
    }
    for (String key : extraConfigs.keySet()) {
      if (key.equals(TopicConfig.CLEANUP_POLICY_CONFIG)
          || key.equals(TopicConfig.RETENTION_MS_CONFIG)
          || key.equals(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)) {
        throw new IllegalArgumentException(
            "Topic "
                + name()
                + ": set '"
                + key
                + "' with cleanupPolicy(..), retention(..) or minInsyncReplicas(..), not as an"
                + " extra config.");
      }
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TopicSpec that
        && prefix.equals(that.prefix)
        && logicalName.equals(that.logicalName)
        && partitions == that.partitions
        && replicationFactor == that.replicationFactor
        && cleanupPolicy == that.cleanupPolicy
        && Objects.equals(retention, that.retention)
        && Objects.equals(minInsyncReplicas, that.minInsyncReplicas)
        && extraConfigs.equals(that.extraConfigs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        prefix,
        logicalName,
        partitions,
        replicationFactor,
        cleanupPolicy,
        retention,
        minInsyncReplicas,
        extraConfigs);
  }

  @Override
  public String toString() {
    return name()
        + "{partitions="
        + partitions
        + ", replicationFactor="
        + replicationFactor
        + ", configs="
        + topicConfigs()
        + "}";
  }

  /** Builds a {@link TopicSpec}; not thread-safe. */
  public static final class Builder {
    private final String logicalName;
    private String prefix = "";
    private int partitions = DEFAULT_PARTITIONS;
    private short replicationFactor = DEFAULT_REPLICATION_FACTOR;
    private CleanupPolicy cleanupPolicy = CleanupPolicy.DELETE;
    private Duration retention;
    private Integer minInsyncReplicas;
    private final Map<String, String> extraConfigs = new LinkedHashMap<>();

    private Builder(String logicalName) {
      this.logicalName = Objects.requireNonNull(logicalName, "logicalName");
    }

    /** Text put before the logical name to form the topic name, for example {@code expertflow.}. */
    public Builder prefix(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    public Builder replicationFactor(short replicationFactor) {
      this.replicationFactor = replicationFactor;
      return this;
    }

    public Builder cleanupPolicy(CleanupPolicy cleanupPolicy) {
      this.cleanupPolicy = Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
      return this;
    }

    /** How long to keep records; {@code null} leaves it to the broker's default. */
    public Builder retention(Duration retention) {
      this.retention = retention;
      return this;
    }

    /**
     * Replicas that must acknowledge an {@code acks=all} write, at most the replication factor;
     * {@code null} leaves it to the broker's default.
     */
    public Builder minInsyncReplicas(Integer minInsyncReplicas) {
      this.minInsyncReplicas = minInsyncReplicas;
      return this;
    }

    /** Sets a further topic config, for example {@code max.message.bytes}. */
    public Builder config(String key, String value) {
      extraConfigs.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Builds the spec.
     *
     * @throws IllegalArgumentException naming the topic and the value that is wrong
     */
    public TopicSpec build() {
      return new TopicSpec(this);
    }
  }
}
