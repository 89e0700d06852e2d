package io.expertflow.updater;

import io.expertflow.operators.update.LabelGrowth;
import io.expertflow.operators.update.SelectionConfig;
import io.expertflow.operators.update.UpdateConfig;
import io.expertflow.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link UpdaterService}. Immutable and validated on construction.
 *
 * @param topics topic names (one prefix)
 * @param settle a window is updated from once no statistics record of it arrived for this long
 * @param maxWait ... or this long after its first statistics record, even if some attributed
 *     feedback that its statistics count has not arrived
 * @param pollTimeout longest wait of one poll, which bounds how late a ready window is noticed
 * @param selection which experts an update may change
 * @param update how they are fine-tuned and judged
 * @param newLabelMinFeedback a label that the served label set lacks is added when at least this
 *     many distinct feedback events of one window correct an answer to it ({@link
 *     io.expertflow.operators.update.LabelGrowth}); 0 never adds labels
 * @param keepVersions after each version it publishes, the updater removes (tombstones) the {@code
 *     expert-updates} records that neither the serving version nor the newest this many published
 *     versions need, so they stay restorable and older ones do not; 0 removes nothing
 */
public record UpdaterConfig(
    TopicNames topics,
    Duration settle,
    Duration maxWait,
    Duration pollTimeout,
    SelectionConfig selection,
    UpdateConfig update,
    int newLabelMinFeedback,
    int keepVersions) {

  public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(2);
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(200);
  public static final int DEFAULT_KEEP_VERSIONS = 10;

  public UpdaterConfig {
    Objects.requireNonNull(topics, "topics");
    require(
        newLabelMinFeedback >= 0,
        "newLabelMinFeedback must be >= 0 (0 never adds labels), was " + newLabelMinFeedback);
    require(keepVersions >= 0, "keepVersions must be >= 0 (0 keeps all), was " + keepVersions);
    Objects.requireNonNull(selection, "selection");
    Objects.requireNonNull(update, "update");
    require(!settle.isNegative(), "settle must be >= 0, was " + settle);
    require(
        maxWait.compareTo(settle) >= 0,
        "maxWait must be >= settle, was " + maxWait + " < " + settle);
    require(
        !pollTimeout.isNegative() && !pollTimeout.isZero(),
        "pollTimeout must be > 0, was " + pollTimeout);
  }

  public static UpdaterConfig defaults() {
    return new UpdaterConfig(
        TopicNames.defaults(),
        DEFAULT_SETTLE,
        DEFAULT_MAX_WAIT,
        DEFAULT_POLL_TIMEOUT,
        SelectionConfig.defaults(),
        UpdateConfig.defaults(),
        LabelGrowth.DEFAULT_MIN_DOCUMENTS,
        DEFAULT_KEEP_VERSIONS);
  }

  public UpdaterConfig withTopics(TopicNames value) {
    return new UpdaterConfig(
        value, settle, maxWait, pollTimeout, selection, update, newLabelMinFeedback, keepVersions);
  }

  public UpdaterConfig withSettle(Duration value) {
    return new UpdaterConfig(
        topics,
        value,
        maxWait.compareTo(value) < 0 ? value : maxWait,
        pollTimeout,
        selection,
        update,
        newLabelMinFeedback,
        keepVersions);
  }

  public UpdaterConfig withSelection(SelectionConfig value) {
    return new UpdaterConfig(
        topics, settle, maxWait, pollTimeout, value, update, newLabelMinFeedback, keepVersions);
  }

  public UpdaterConfig withUpdate(UpdateConfig value) {
    return new UpdaterConfig(
        topics, settle, maxWait, pollTimeout, selection, value, newLabelMinFeedback, keepVersions);
  }

  public UpdaterConfig withNewLabelMinFeedback(int value) {
    return new UpdaterConfig(
        topics, settle, maxWait, pollTimeout, selection, update, value, keepVersions);
  }

  public UpdaterConfig withKeepVersions(int value) {
    return new UpdaterConfig(
        topics, settle, maxWait, pollTimeout, selection, update, newLabelMinFeedback, value);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid updater config: " + message);
    }
  }
}
