package io.expertflow.cli.demo;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link DemoStack} runs.
 *
 * @param runId unique id of the run; prefixes every request id, names consumer groups
 * @param topicPrefix prefix of every topic
 * @param model the served model
 * @param workerProperties worker settings ({@link io.expertflow.worker.WorkerSettings} keys)
 */
public record DemoStackConfig(
    String runId, String topicPrefix, DemoModel model, Map<String, String> workerProperties) {
  public static final String DEFAULT_TOPIC_PREFIX = "expertflow.";

  public DemoStackConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    workerProperties = Map.copyOf(workerProperties);
    if (runId == null || !runId.matches("[A-Za-z0-9-]+")) {
      throw new IllegalArgumentException(
          "run id must be letters, digits and '-', was '" + runId + "'");
    }
  }
}
