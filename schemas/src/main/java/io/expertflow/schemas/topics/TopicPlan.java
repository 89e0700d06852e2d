package io.expertflow.schemas.topics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The catalogue compared with a cluster: for each topic whether it must be created, matches, or
 * differs, and how. Pure: built from specs and described {@link TopicState}s, so it is tested
 * without a broker. Immutable.
 */
public final class TopicPlan {

  /** The setting name of a topic's partition count in a {@link TopicMismatch}. */
  public static final String PARTITIONS = "partitions";

  /** The setting name of a topic's replication factor in a {@link TopicMismatch}. */
  public static final String REPLICATION_FACTOR = "replication-factor";

  /** What a {@link TopicMismatch} says when the cluster does not report a config at all. */
  public static final String NOT_REPORTED = "(not reported)";

  private final List<TopicCheck> checks;

  private TopicPlan(List<TopicCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  /**
   * Compares each spec with the topic of the same name in {@code existing}.
   *
   * @param existing the cluster's topics by name; a spec whose name is absent is to be created
   */
  public static TopicPlan compare(Collection<TopicSpec> specs, Map<String, TopicState> existing) {
    List<TopicCheck> checks = new ArrayList<>();
    for (TopicSpec spec : specs) {
      TopicState state = existing.get(spec.name());
      checks.add(new TopicCheck(spec, state, state == null ? List.of() : mismatches(spec, state)));
    }
    return new TopicPlan(checks);
  }

  /** Every topic of the catalogue, in its order. */
  public List<TopicCheck> checks() {
    return checks;
  }

  /** The topics of this status, in catalogue order. */
  public List<TopicCheck> withStatus(TopicStatus status) {
    return checks.stream().filter(c -> c.status() == status).toList();
  }

  /** The specs of the topics that do not exist. */
  public List<TopicSpec> toCreate() {
    return withStatus(TopicStatus.CREATE).stream().map(TopicCheck::spec).toList();
  }

  /** Whether any catalogue topic exists already, matching or not. */
  public boolean anyExists() {
    return checks.stream().anyMatch(c -> c.status() != TopicStatus.CREATE);
  }

  /** Whether any existing topic differs from its spec. */
  public boolean anyDiffers() {
    return checks.stream().anyMatch(c -> c.status() == TopicStatus.DIFFERS);
  }

  /** Whether every topic exists and matches. */
  public boolean inLine() {
    return checks.stream().allMatch(c -> c.status() == TopicStatus.OK);
  }

  private static List<TopicMismatch> mismatches(TopicSpec spec, TopicState state) {
    List<TopicMismatch> out = new ArrayList<>();
    String name = spec.name();
    if (state.partitions() != spec.partitions()) {
      out.add(mismatch(name, PARTITIONS, spec.partitions(), state.partitions()));
    }
    if (state.replicationFactor() != spec.replicationFactor()) {
      out.add(
          mismatch(name, REPLICATION_FACTOR, spec.replicationFactor(), state.replicationFactor()));
    }
    // sorted, so a plan reads the same every time
    for (Map.Entry<String, String> want : new TreeMap<>(spec.topicConfigs()).entrySet()) {
      String have = state.configs().get(want.getKey());
      if (!sameValue(want.getKey(), have, want.getValue())) {
        out.add(
            new TopicMismatch(
                name, want.getKey(), want.getValue(), have == null ? NOT_REPORTED : have));
      }
    }
    return out;
  }

  private static TopicMismatch mismatch(String topic, String setting, int want, int have) {
    return new TopicMismatch(topic, setting, Integer.toString(want), Integer.toString(have));
  }

  /** Equal as Kafka reads them: lists in any order, numbers by value. */
  static boolean sameValue(String key, String have, String want) {
    if (have == null) {
      return false;
    }
    if (key.equals(TopicConfig.CLEANUP_POLICY_CONFIG)) {
      return asSet(have).equals(asSet(want));
    }
    if (Objects.equals(have.trim(), want.trim())) {
      return true;
    }
    try {
      return Long.parseLong(have.trim()) == Long.parseLong(want.trim());
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Set<String> asSet(String list) {
    return Arrays.stream(list.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }

  @Override
  public String toString() {
    return "TopicPlan" + checks.stream().map(c -> c.name() + "=" + c.status()).toList();
  }
}
