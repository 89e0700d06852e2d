package io.expertflow.cli.commands;

import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.TopicCatalog;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The options of {@code expertflow topics} that shape the catalogue: prefix, replication, min ISR
 * and partition overrides. What is not given keeps the catalogue's default.
 */
final class TopicCatalogOptions {
  @Option(
      names = "--topic-prefix",
      paramLabel = "PREFIX",
      description =
          "Prefix of every topic name (env EXPERTFLOW_TOPIC_PREFIX; default: "
              + ConnectionOptions.DEFAULT_PREFIX
              + ").")
  String topicPrefix;

  @Option(
      names = "--replication-factor",
      paramLabel = "N",
      description =
          "Replicas of every topic (default: one per broker, at most "
              + TopicCatalog.DEFAULT_MAX_REPLICATION_FACTOR
              + "; render: "
              + TopicCatalog.DEFAULT_MAX_REPLICATION_FACTOR
              + ").")
  Short replicationFactor;

  @Option(
      names = "--min-insync-replicas",
      paramLabel = "N",
      description =
          "min.insync.replicas of every topic (default: the replication factor - 1 from 2"
              + " replicas up, else 1).")
  Short minInsyncReplicas;

  @Option(
      names = "--partitions",
      paramLabel = "TOPIC=N",
      description =
          "Partitions of one topic, by its logical name (requests=24); repeatable."
              + " responses and feedback must stay equal.")
  Map<String, Integer> partitions = new LinkedHashMap<>();

  @Option(
      names = "--all-partitions",
      paramLabel = "N",
      description = "Partitions of every topic; --partitions still wins for the topics it names.")
  Integer allPartitions;

  /** The prefix: the flag, else {@code EXPERTFLOW_TOPIC_PREFIX}, else the default. */
  String prefix() {
    ConnectionOptions resolver = new ConnectionOptions();
    resolver.topicPrefix = topicPrefix;
    return resolver.topicPrefix();
  }

  /** Whether {@code --replication-factor} was given. */
  boolean replicationGiven() {
    return replicationFactor != null;
  }

  /**
   * The catalogue under these options.
   *
   * @param defaultReplication the replication factor unless {@code --replication-factor} is given
   * @throws IllegalArgumentException naming the option and value that is wrong
   */
  TopicCatalog catalog(short defaultReplication) {
    short replication = replicationFactor != null ? replicationFactor : defaultReplication;
    if (replication < 1) {
      throw new IllegalArgumentException(
          "--replication-factor must be at least 1, got " + replication);
    }
    TopicCatalog.Builder builder =
        TopicCatalog.builder()
            .prefix(prefix())
            .replicationFactor(replication)
            .minInsyncReplicas(minInsyncReplicas);
    if (allPartitions != null) {
      builder.partitionsOfEveryTopic(allPartitions);
    }
    partitions.forEach((name, count) -> builder.partitions(topic(name), count));
    return builder.build();
  }

  private LogicalTopic topic(String name) {
    String prefix = prefix();
    String logical = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    return Arrays.stream(LogicalTopic.values())
        .filter(t -> t.logicalName().equals(logical))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--partitions names no topic of the catalogue: '"
                        + name
                        + "'; use one of "
                        + Arrays.stream(LogicalTopic.values())
                            .map(LogicalTopic::logicalName)
                            .collect(Collectors.joining(", "))));
  }
}
