package io.expertflow.schemas.topics;

import org.apache.kafka.common.config.TopicConfig;

/** How Kafka discards old records of a topic ({@code cleanup.policy}). */
public enum CleanupPolicy {
  /** Records are deleted when they pass the topic's retention. */
  DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
  /** Only the latest record of each key is kept. */
  COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT),
  /** The latest record of each key is kept until it passes the topic's retention. */
  COMPACT_DELETE(TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE);

  private final String configValue;

  CleanupPolicy(String configValue) {
    this.configValue = configValue;
  }

  /** The value of the {@code cleanup.policy} topic config. */
  public String configValue() {
    return configValue;
  }
}
