package io.expertflow.cli.demo;

import io.expertflow.schemas.topics.TopicNames;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link DemoStack} runs.
 *
 * @param runId unique id of the run; prefixes every request id, names consumer groups
 * @param topicPrefix prefix of every topic
 * @param model the served model
 * @param workerProperties worker settings ({@link io.expertflow.worker.WorkerSettings} keys)
 * @param minFeedbackPerExpert feedback events an expert needs in the window to be updated
 */
public record DemoStackConfig(
    String runId,
    String topicPrefix,
    DemoModel model,
    Map<String, String> workerProperties,
    long minFeedbackPerExpert) {
  public static final String DEFAULT_TOPIC_PREFIX = TopicNames.DEFAULT_PREFIX;

  /**
   * Feedback an expert needs in the demo's window to be updated. A week of a few dozen documents
   * spreads over about half of the 128 experts, so the production default of {@value
   * io.expertflow.operators.update.SelectionConfig#DEFAULT_MIN_FEEDBACK} would choose none; the
   * guard set still keeps a bad update out.
   */
  public static final long DEFAULT_MIN_FEEDBACK_PER_EXPERT = 4;

  public DemoStackConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    workerProperties = Map.copyOf(workerProperties);
    if (minFeedbackPerExpert < 1) {
      throw new IllegalArgumentException(
          "min feedback per expert must be >= 1, was " + minFeedbackPerExpert);
    }
    if (runId == null || !runId.matches("[A-Za-z0-9-]+")) {
      throw new IllegalArgumentException(
          "run id must be letters, digits and '-', was '" + runId + "'");
    }
  }
}
