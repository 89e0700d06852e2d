package io.expertflow.cli.topics;

import io.expertflow.schemas.topics.TopicMismatch;
import io.expertflow.schemas.topics.TopicPlan;
import java.util.Objects;

/**
 * What a person could run to bring one differing setting in line, spelled as Kafka's own tools take
 * it ({@code kafka-topics.sh}, {@code kafka-configs.sh}, {@code kafka-reassign-partitions.sh}).
 * expertflow runs none of them: changing a live topic is a decision with consequences. Immutable.
 */
public final class TopicActions {
  private final String bootstrapServers;
  private final String commandConfig;

  /**
   * @param bootstrapServers the cluster, as the commands name it
   * @param commandConfig the client properties file to pass on, or {@code null}
   */
  public TopicActions(String bootstrapServers, String commandConfig) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.commandConfig = commandConfig;
  }

  /** The command, then a line of what to know before running it. */
  public Action forMismatch(TopicMismatch m) {
    String topic = m.topic();
    if (m.setting().equals(TopicPlan.PARTITIONS)) {
      int want = Integer.parseInt(m.expected());
      int have = Integer.parseInt(m.actual());
      if (want > have) {
        return new Action(
            tool("kafka-topics.sh") + " --alter --topic " + topic + " --partitions " + want,
            "records already written stay where they are while new ones of the same key may go"
                + " to a new partition; do it with no traffic, and give responses and feedback"
                + " the same count (they are joined by key)");
      }
      return new Action(
          tool("kafka-topics.sh") + " --delete --topic " + topic,
          "Kafka cannot remove partitions: delete the topic (its records are lost), then run"
              + " 'expertflow topics apply' to create it as the catalogue says");
    }
    if (m.setting().equals(TopicPlan.REPLICATION_FACTOR)) {
      return new Action(
          tool("kafka-reassign-partitions.sh")
              + " --reassignment-json-file "
              + topic
              + "-replicas.json --execute",
          "write the JSON to list "
              + m.expected()
              + " broker ids for each partition of "
              + topic
              + "; the replicas copy the topic's data between brokers");
    }
    return new Action(
        tool("kafka-configs.sh")
            + " --entity-type topics --entity-name "
            + topic
            + " --alter --add-config "
            + m.setting()
            + "="
            + configValue(m.expected()),
        "takes effect at once, without a restart");
  }

  private String tool(String name) {
    return name
        + " --bootstrap-server "
        + bootstrapServers
        + (commandConfig == null ? "" : " --command-config " + commandConfig);
  }

  /** kafka-configs reads a list value in brackets: {@code cleanup.policy=[compact,delete]}. */
  private static String configValue(String value) {
    return value.contains(",") ? "[" + value + "]" : value;
  }

  /**
   * One suggested action.
   *
   * @param command the command line
   * @param note what to know before running it
   */
  public record Action(String command, String note) {}
}
