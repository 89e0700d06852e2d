package io.expertflow.cli.commands;

import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Stops a command that writes to a topic before it writes, when the topic does not exist: a Kafka
 * producer would wait for it for a minute ({@code max.block.ms}) and then say only that it is "not
 * present in metadata", and a cluster that creates topics on first use would make it with one
 * partition, which the pipeline then refuses as different from its catalogue.
 */
final class TopicExists {
  private TopicExists() {}

  /**
   * Returns when {@code topic} exists on the cluster {@code connection} names.
   *
   * @throws IllegalStateException naming the topic, the cluster and how to create the topics
   */
  static void require(ConnectionOptions connection, String topic) throws InterruptedException {
    try (Admin admin = Admin.create(connection.kafkaProperties())) {
      admin.describeTopics(List.of(topic)).allTopicNames().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalStateException(missing(connection, topic), e.getCause());
      }
      throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
    }
  }

  private static String missing(ConnectionOptions connection, String topic) {
    String prefix = connection.topicPrefix();
    String withPrefix =
        prefix.equals(ConnectionOptions.DEFAULT_PREFIX) ? "" : " --topic-prefix " + prefix;
    return "topic "
        + topic
        + " does not exist on Kafka at "
        + connection.bootstrapServers()
        + ": create the pipeline's topics with 'expertflow topics apply"
        + withPrefix
        + "' (or start a local stack with 'expertflow up'), or give the prefix your topics have"
        + " with --topic-prefix";
  }
}
