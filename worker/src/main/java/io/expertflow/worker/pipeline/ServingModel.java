package io.expertflow.worker.pipeline;

import io.expertflow.model.engine.HeadSession;
import io.expertflow.operators.moe.MoeHeadConfig;
import java.util.List;
import java.util.Objects;

/**
 * The head a worker serves now: its session and the version that every response it produces names.
 * Immutable; a hot reload replaces the whole object between batches.
 */
public record ServingModel(String name, String version, HeadSession head) {
  public ServingModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(head, "head");
  }

  public MoeHeadConfig config() {
    return head.config();
  }

  public List<String> labels() {
    return head.config().labels();
  }
}
