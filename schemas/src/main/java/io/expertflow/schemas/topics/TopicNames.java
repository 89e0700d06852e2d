package io.expertflow.schemas.topics;

import java.util.Objects;

/**
 * The full names of the pipeline's topics under one prefix: the one place every service (streams
 * app, worker, updater, CLI, benchmarks) gets a topic name from. The logical names come from {@link
 * LogicalTopic}, so they always agree with the {@link TopicCatalog} that provisions them.
 * Immutable.
 *
 * @param prefix text before every logical topic name; may be empty
 */
public record TopicNames(String prefix) {
  /** The prefix of every topic unless configured otherwise. */
  public static final String DEFAULT_PREFIX = "expertflow.";

  public TopicNames {
    Objects.requireNonNull(prefix, "prefix");
  }

  /** The default names, {@code expertflow.requests} and so on. */
  public static TopicNames defaults() {
    return new TopicNames(DEFAULT_PREFIX);
  }

  /** The names of {@code catalog}'s topics. */
  public static TopicNames of(TopicCatalog catalog) {
    return new TopicNames(catalog.prefix());
  }

  /** The full name of {@code topic}. */
  public String name(LogicalTopic topic) {
    return prefix + topic.logicalName();
  }

  public String requestsInbound() {
    return name(LogicalTopic.REQUESTS_INBOUND);
  }

  public String requests() {
    return name(LogicalTopic.REQUESTS);
  }

  public String responses() {
    return name(LogicalTopic.RESPONSES);
  }

  public String responsesApproved() {
    return name(LogicalTopic.RESPONSES_APPROVED);
  }

  public String responsesReview() {
    return name(LogicalTopic.RESPONSES_REVIEW);
  }

  public String responsesBlocked() {
    return name(LogicalTopic.RESPONSES_BLOCKED);
  }

  public String deadLetters() {
    return name(LogicalTopic.DEAD_LETTERS);
  }

  public String audit() {
    return name(LogicalTopic.AUDIT);
  }

  public String feedback() {
    return name(LogicalTopic.FEEDBACK);
  }

  public String feedbackAttributed() {
    return name(LogicalTopic.FEEDBACK_ATTRIBUTED);
  }

  public String expertStats() {
    return name(LogicalTopic.EXPERT_STATS);
  }

  /** Compacted: the tensors of every updated expert of every version. */
  public String expertUpdates() {
    return name(LogicalTopic.EXPERT_UPDATES);
  }

  /** Compacted: the serving version per model, and the history of every version. */
  public String modelVersions() {
    return name(LogicalTopic.MODEL_VERSIONS);
  }

  /** Reviewers' decisions on responses the compliance rules held for review. */
  public String reviewDecisions() {
    return name(LogicalTopic.REVIEW_DECISIONS);
  }

  /** The document memory's feed (compacted): answered documents and their corrections. */
  public String memory() {
    return name(LogicalTopic.MEMORY);
  }
}
