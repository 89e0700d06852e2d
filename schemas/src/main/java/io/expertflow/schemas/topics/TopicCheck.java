package io.expertflow.schemas.topics;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One catalogue topic compared with the cluster.
 *
 * @param spec what the catalogue asks for
 * @param state the topic on the cluster, or {@code null} when it does not exist
 * @param mismatches every setting that differs, with the value the cluster has and the one wanted;
 *     empty unless {@link #status()} is {@link TopicStatus#DIFFERS}
 */
public record TopicCheck(TopicSpec spec, TopicState state, List<TopicMismatch> mismatches) {

  public TopicCheck {
    Objects.requireNonNull(spec, "spec");
    mismatches = List.copyOf(mismatches);
    if (state == null && !mismatches.isEmpty()) {
      throw new IllegalArgumentException("A missing topic has no mismatches: " + spec.name());
    }
  }

  public TopicStatus status() {
    if (state == null) {
      return TopicStatus.CREATE;
    }
    return mismatches.isEmpty() ? TopicStatus.OK : TopicStatus.DIFFERS;
  }

  /** The Kafka topic name. */
  public String name() {
    return spec.name();
  }

  /** The topic on the cluster, if it exists. */
  public Optional<TopicState> existing() {
    return Optional.ofNullable(state);
  }
}
