package io.expertflow.schemas.topics;

import java.util.Map;
import java.util.Objects;

/**
 * An existing topic as the cluster describes it: what {@link TopicPlan} compares with a {@link
 * TopicSpec}.
 *
 * @param name the Kafka topic name
 * @param partitions how many partitions it has
 * @param replicationFactor the fewest replicas of any of its partitions
 * @param configs its effective topic configs (overrides and broker defaults alike), key to value
 */
public record TopicState(
    String name, int partitions, int replicationFactor, Map<String, String> configs) {

  public TopicState {
    Objects.requireNonNull(name, "name");
    configs = Map.copyOf(configs);
  }
}
