package io.expertflow.schemas.topics;

import java.util.Objects;

/**
 * One setting of an existing topic that differs from its {@link TopicSpec}.
 *
 * @param topic the Kafka topic name
 * @param setting what differs, for example {@code partitions} or {@code cleanup.policy}
 * @param expected the value the spec asks for
 * @param actual the value the cluster has
 */
public record TopicMismatch(String topic, String setting, String expected, String actual) {

  public TopicMismatch {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(setting, "setting");
  }

  @Override
  public String toString() {
    return topic + ": " + setting + " is " + actual + ", expected " + expected;
  }
}
