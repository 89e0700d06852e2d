package io.expertflow.versions;

import java.util.Objects;

/**
 * The topic names the updater and the workers' followers use, under one prefix.
 *
 * @param prefix prefix of every topic name, {@value #DEFAULT_PREFIX} by default
 */
public record VersionTopics(String prefix) {
  public static final String DEFAULT_PREFIX = "expertflow.";

  public VersionTopics {
    Objects.requireNonNull(prefix, "prefix");
  }

  public static VersionTopics defaults() {
    return new VersionTopics(DEFAULT_PREFIX);
  }

  /** Closed windows' per-expert statistics (input of the updater). */
  public String expertStats() {
    return prefix + "expert-stats";
  }

  /** Feedback joined with the responses it rates (input of the updater). */
  public String feedbackAttributed() {
    return prefix + "feedback.attributed";
  }

  /** Compacted: the tensors of every updated expert of every version. */
  public String expertUpdates() {
    return prefix + "expert-updates";
  }

  /** Compacted: the serving version per model, and the history of every version. */
  public String modelVersions() {
    return prefix + "model-versions";
  }
}
