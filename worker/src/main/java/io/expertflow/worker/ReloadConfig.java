package io.expertflow.worker;

import io.expertflow.schemas.settings.SettingValues;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.worker.reload.FollowerConfig;
import java.time.Duration;
import java.util.Map;

/**
 * Hot reload settings of a worker: whether it follows {@code model-versions} and {@code
 * expert-updates} (by default it does), how long it may take at start to catch up with them before
 * it takes requests, and how often it looks for a new version. Immutable, validated on
 * construction; keys in {@link WorkerKeys}.
 *
 * @param enabled follow the version topics and serve their serving version; off serves the bundle
 *     as it is, whatever the topics say
 * @param catchUpTimeout longest wait at start for the follower to read both topics to their end and
 *     build the serving version; past it the worker does not start
 * @param pollTimeout longest wait of one poll of the follower, which bounds how late a new version
 *     is noticed
 */
public record ReloadConfig(boolean enabled, Duration catchUpTimeout, Duration pollTimeout) {
  public static final boolean DEFAULT_ENABLED = true;
  public static final Duration DEFAULT_CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_POLL_TIMEOUT = FollowerConfig.DEFAULT_POLL_TIMEOUT;

  public ReloadConfig {
    require(
        catchUpTimeout != null && catchUpTimeout.toMillis() > 0,
        "reload.catch.up.timeout.ms must be > 0, was " + millis(catchUpTimeout));
    require(
        pollTimeout != null && pollTimeout.toMillis() > 0,
        "reload.poll.timeout.ms must be > 0, was " + millis(pollTimeout));
  }

  public static ReloadConfig defaults() {
    return new ReloadConfig(DEFAULT_ENABLED, DEFAULT_CATCH_UP_TIMEOUT, DEFAULT_POLL_TIMEOUT);
  }

  /** Hot reload off: the worker serves its bundle and never reads the version topics. */
  public static ReloadConfig disabled() {
    return defaults().withEnabled(false);
  }

  /** The settings from properties keyed as in {@link WorkerKeys}; absent keys take defaults. */
  public static ReloadConfig fromProperties(Map<String, String> props) {
    return from(SettingValues.of(WorkerKeys.TABLE, props));
  }

  /** The reload settings among the bound worker settings. */
  public static ReloadConfig from(SettingValues v) {
    return new ReloadConfig(
        v.get(WorkerKeys.RELOAD_ENABLED),
        v.get(WorkerKeys.RELOAD_CATCH_UP_TIMEOUT),
        v.get(WorkerKeys.RELOAD_POLL_TIMEOUT));
  }

  public ReloadConfig withEnabled(boolean value) {
    return new ReloadConfig(value, catchUpTimeout, pollTimeout);
  }

  public ReloadConfig withCatchUpTimeout(Duration value) {
    return new ReloadConfig(enabled, value, pollTimeout);
  }

  public ReloadConfig withPollTimeout(Duration value) {
    return new ReloadConfig(enabled, catchUpTimeout, value);
  }

  /** The follower's settings on the topics under {@code topicPrefix}. */
  public FollowerConfig follower(String topicPrefix) {
    return new FollowerConfig(new TopicNames(topicPrefix), pollTimeout);
  }

  private static String millis(Duration d) {
    return d == null ? "null" : String.valueOf(d.toMillis());
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid reload config: " + message);
    }
  }
}
