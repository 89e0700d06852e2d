package io.expertflow.streams;

import java.util.Objects;

/**
 * Names of the pipeline's topics under one prefix ({@value #DEFAULT_PREFIX} by default). Immutable.
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

  public String requestsInbound() {
    return prefix + "requests.inbound";
  }

  public String requests() {
    return prefix + "requests";
  }

  public String responses() {
    return prefix + "responses";
  }

  public String responsesApproved() {
    return prefix + "responses.approved";
  }

  public String responsesReview() {
    return prefix + "responses.review";
  }

  public String responsesBlocked() {
    return prefix + "responses.blocked";
  }

  public String deadLetters() {
    return prefix + "dead-letters";
  }

  public String audit() {
    return prefix + "audit";
  }

  public String feedback() {
    return prefix + "feedback";
  }

  public String feedbackAttributed() {
    return prefix + "feedback.attributed";
  }

  public String expertStats() {
    return prefix + "expert-stats";
  }
}
