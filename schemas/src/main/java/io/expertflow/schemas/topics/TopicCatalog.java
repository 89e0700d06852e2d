package io.expertflow.schemas.topics;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pipeline's topics under one prefix: one {@link TopicSpec} per {@link LogicalTopic}.
 *
 * <p>Components ask the catalog for topic names ({@code catalog.name(LogicalTopic.REQUESTS)})
 * instead of spelling them, so one prefix moves the whole pipeline. Immutable; safe to share.
 */
public final class TopicCatalog {

  /** The prefix of every topic name unless configured otherwise. */
  public static final String DEFAULT_PREFIX = TopicNames.DEFAULT_PREFIX;

  /** The replication factor production aims for; smaller clusters get one per broker. */
  public static final short DEFAULT_MAX_REPLICATION_FACTOR = 3;

  private final String prefix;
  private final short replicationFactor;
  private final short minInsyncReplicas;
  private final Map<LogicalTopic, TopicSpec> specs;

  private TopicCatalog(Builder builder) {
    this.prefix = builder.prefix;
    this.replicationFactor = builder.replicationFactor;
    this.minInsyncReplicas =
        builder.minInsyncReplicas != null
            ? builder.minInsyncReplicas
            // a replication factor below 1 is refused by TopicSpec, naming the topic
            : minInsyncReplicasFor((short) Math.max(1, builder.replicationFactor));
    Map<LogicalTopic, TopicSpec> built = new EnumMap<>(LogicalTopic.class);
    for (LogicalTopic topic : LogicalTopic.values()) {
      TopicSpec.Builder spec =
          TopicSpec.builder(topic.logicalName())
              .prefix(builder.prefix)
              .partitions(builder.partitions.getOrDefault(topic, topic.defaultPartitions()))
              .replicationFactor(builder.replicationFactor)
              .cleanupPolicy(topic.cleanupPolicy())
              .retention(topic.defaultRetention())
              .minInsyncReplicas((int) minInsyncReplicas);
      builder.extraConfigs.getOrDefault(topic, Map.of()).forEach(spec::config);
      built.put(topic, spec.build());
    }
    this.specs = Collections.unmodifiableMap(built);
  }

  /**
   * The default catalog for a cluster of this many brokers: replication min(3, brokers), min ISR
   * one less from two replicas up.
   */
  public static TopicCatalog forCluster(int brokers) {
    return builder().replicationFactor(replicationFactorFor(brokers)).build();
  }

  /**
   * The replication factor for a cluster of this many brokers: one copy per broker, at most {@link
   * #DEFAULT_MAX_REPLICATION_FACTOR}.
   */
  public static short replicationFactorFor(int brokers) {
    if (brokers < 1) {
      throw new IllegalArgumentException(
          "A cluster has at least one broker; got " + brokers + " brokers.");
    }
    return (short) Math.min(DEFAULT_MAX_REPLICATION_FACTOR, brokers);
  }

  /**
   * The {@code min.insync.replicas} for this replication factor: one less than the replicas from
   * two replicas up (a write survives one broker down), else 1.
   */
  public static short minInsyncReplicasFor(short replicationFactor) {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "The replication factor is at least 1; got " + replicationFactor + ".");
    }
    return (short) (replicationFactor >= 2 ? replicationFactor - 1 : 1);
  }

  /** The replication factor of every topic. */
  public short replicationFactor() {
    return replicationFactor;
  }

  /** The {@code min.insync.replicas} of every topic. */
  public short minInsyncReplicas() {
    return minInsyncReplicas;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String prefix() {
    return prefix;
  }

  /** The full Kafka topic name of this logical topic, for example {@code expertflow.requests}. */
  public String name(LogicalTopic topic) {
    return spec(topic).name();
  }

  public TopicSpec spec(LogicalTopic topic) {
    return specs.get(Objects.requireNonNull(topic, "topic"));
  }

  /** Every topic of the catalog, in the order of {@link LogicalTopic}. */
  public List<TopicSpec> specs() {
    return List.copyOf(specs.values());
  }

  @Override
  public String toString() {
    return "TopicCatalog{prefix='" + prefix + "', topics=" + specs.values() + "}";
  }

  /** Builds a {@link TopicCatalog}; not thread-safe. */
  public static final class Builder {
    private String prefix = DEFAULT_PREFIX;
    private short replicationFactor = TopicSpec.DEFAULT_REPLICATION_FACTOR;
    private Short minInsyncReplicas;
    private final Map<LogicalTopic, Integer> partitions = new EnumMap<>(LogicalTopic.class);
    private final Map<LogicalTopic, Map<String, String>> extraConfigs =
        new EnumMap<>(LogicalTopic.class);

    private Builder() {}

    /** Text before every logical name; may be empty. Default {@value #DEFAULT_PREFIX}. */
    public Builder prefix(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /** Replication factor of every topic; see {@link #replicationFactorFor(int)}. */
    public Builder replicationFactor(short replicationFactor) {
      this.replicationFactor = replicationFactor;
      return this;
    }

    /**
     * {@code min.insync.replicas} of every topic; {@code null} (the default) derives it from the
     * replication factor, see {@link #minInsyncReplicasFor(short)}.
     */
    public Builder minInsyncReplicas(Short minInsyncReplicas) {
      this.minInsyncReplicas = minInsyncReplicas;
      return this;
    }

    /** Overrides the partition count of one topic. */
    public Builder partitions(LogicalTopic topic, int count) {
      partitions.put(Objects.requireNonNull(topic, "topic"), count);
      return this;
    }

    /**
     * Gives every topic this many partitions, for example 1 to keep a test broker light. Keeps
     * co-partitioned topics equal.
     */
    public Builder partitionsOfEveryTopic(int count) {
      for (LogicalTopic topic : LogicalTopic.values()) {
        partitions.put(topic, count);
      }
      return this;
    }

    /** Sets a further topic config on one topic, for example {@code max.message.bytes}. */
    public Builder config(LogicalTopic topic, String key, String value) {
      extraConfigs
          .computeIfAbsent(Objects.requireNonNull(topic, "topic"), t -> new LinkedHashMap<>())
          .put(key, value);
      return this;
    }

    /**
     * Builds the catalog.
     *
     * @throws IllegalArgumentException when a topic spec is invalid or {@link
     *     LogicalTopic#RESPONSES} and {@link LogicalTopic#FEEDBACK} would differ in partitions
     */
    public TopicCatalog build() {
      int responses =
          partitions.getOrDefault(
              LogicalTopic.RESPONSES, LogicalTopic.RESPONSES.defaultPartitions());
      int feedback =
          partitions.getOrDefault(LogicalTopic.FEEDBACK, LogicalTopic.FEEDBACK.defaultPartitions());
      if (responses != feedback) {
        throw new IllegalArgumentException(
            "Topics 'responses' ("
                + responses
                + " partitions) and 'feedback' ("
                + feedback
                + " partitions) are joined by request id and must have the same partition"
                + " count; set both to the same value.");
      }
      return new TopicCatalog(this);
    }
  }
}
