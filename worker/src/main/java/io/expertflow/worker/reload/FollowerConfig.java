package io.expertflow.worker.reload;

import io.expertflow.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link ModelVersionFollower}.
 *
 * @param topics topic names (one prefix)
 * @param pollTimeout longest wait of one poll, which bounds how late a new version is noticed
 */
public record FollowerConfig(TopicNames topics, Duration pollTimeout) {
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);

  public FollowerConfig {
    Objects.requireNonNull(topics, "topics");
    if (pollTimeout.isNegative() || pollTimeout.isZero()) {
      throw new IllegalArgumentException(
          "invalid follower config: pollTimeout must be > 0, was " + pollTimeout);
    }
  }

  public static FollowerConfig defaults() {
    return new FollowerConfig(TopicNames.defaults(), DEFAULT_POLL_TIMEOUT);
  }
}
