package io.expertflow.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The comparison of the catalogue with described topics, without a broker. */
class TopicPlanTest {
  private final TopicCatalog catalog =
      TopicCatalog.builder()
          .prefix("p.")
          .replicationFactor((short) 3)
          .config(LogicalTopic.EXPERT_UPDATES, "max.message.bytes", "8388608")
          .build();

  @Test
  void shouldCreateEveryTopicOfAnEmptyCluster() {
    TopicPlan plan = TopicPlan.compare(catalog.specs(), Map.of());

    assertThat(plan.checks()).hasSize(LogicalTopic.values().length);
    assertThat(plan.checks()).allMatch(c -> c.status() == TopicStatus.CREATE);
    assertThat(plan.toCreate()).isEqualTo(catalog.specs());
    assertThat(plan.anyExists()).isFalse();
    assertThat(plan.inLine()).isFalse();
  }

  @Test
  void shouldFindATopicEqualToItsSpecOkAndTheOthersMissing() {
    TopicSpec requests = catalog.spec(LogicalTopic.REQUESTS);

    TopicPlan plan =
        TopicPlan.compare(catalog.specs(), Map.of(requests.name(), asCreated(requests)));

    assertThat(check(plan, LogicalTopic.REQUESTS).status()).isEqualTo(TopicStatus.OK);
    assertThat(check(plan, LogicalTopic.REQUESTS).mismatches()).isEmpty();
    assertThat(plan.toCreate()).hasSize(LogicalTopic.values().length - 1);
    assertThat(plan.anyExists()).isTrue();
    assertThat(plan.anyDiffers()).isFalse();
  }

  @Test
  void shouldBeInLineWhenEveryTopicMatches() {
    Map<String, TopicState> all = new HashMap<>();
    catalog.specs().forEach(s -> all.put(s.name(), asCreated(s)));

    TopicPlan plan = TopicPlan.compare(catalog.specs(), all);

    assertThat(plan.inLine()).isTrue();
    assertThat(plan.toCreate()).isEmpty();
  }

  @Test
  void shouldReportAPartitionCountThatDiffers() {
    assertThat(differences(LogicalTopic.REQUESTS, s -> s.partitions = 6))
        .containsExactly(new TopicMismatch("p.requests", "partitions", "12", "6"));
  }

  @Test
  void shouldReportAReplicationFactorThatDiffers() {
    assertThat(differences(LogicalTopic.AUDIT, s -> s.replicas = 1))
        .containsExactly(new TopicMismatch("p.audit", "replication-factor", "3", "1"));
  }

  @Test
  void shouldReportACleanupPolicyThatDiffers() {
    assertThat(
            differences(
                LogicalTopic.MODEL_VERSIONS, s -> s.configs.put("cleanup.policy", "delete")))
        .containsExactly(
            new TopicMismatch("p.model-versions", "cleanup.policy", "compact", "delete"));
  }

  @Test
  void shouldReportARetentionThatDiffers() {
    assertThat(differences(LogicalTopic.AUDIT, s -> s.configs.put("retention.ms", "604800000")))
        .containsExactly(new TopicMismatch("p.audit", "retention.ms", "31536000000", "604800000"));
  }

  @Test
  void shouldReportAMinInsyncReplicasThatDiffers() {
    assertThat(differences(LogicalTopic.FEEDBACK, s -> s.configs.put("min.insync.replicas", "1")))
        .containsExactly(new TopicMismatch("p.feedback", "min.insync.replicas", "2", "1"));
  }

  @Test
  void shouldReportAFurtherCatalogueConfigThatDiffersOrIsNotReported() {
    assertThat(
            differences(
                LogicalTopic.EXPERT_UPDATES, s -> s.configs.put("max.message.bytes", "1048588")))
        .containsExactly(
            new TopicMismatch("p.expert-updates", "max.message.bytes", "8388608", "1048588"));
    assertThat(differences(LogicalTopic.EXPERT_UPDATES, s -> s.configs.remove("max.message.bytes")))
        .containsExactly(
            new TopicMismatch(
                "p.expert-updates", "max.message.bytes", "8388608", TopicPlan.NOT_REPORTED));
  }

  @Test
  void shouldReportEveryDifferenceOfOneTopicInOrder() {
    List<TopicMismatch> all =
        differences(
            LogicalTopic.RESPONSES,
            s -> {
              s.partitions = 3;
              s.replicas = 2;
              s.configs.put("retention.ms", "1000");
              s.configs.put("cleanup.policy", "compact");
            });

    assertThat(all)
        .extracting(TopicMismatch::setting)
        .containsExactly("partitions", "replication-factor", "cleanup.policy", "retention.ms");
  }

  @Test
  void shouldReadConfigValuesAsKafkaDoes() {
    assertThat(TopicPlan.sameValue("cleanup.policy", "delete, compact", "compact,delete")).isTrue();
    assertThat(TopicPlan.sameValue("cleanup.policy", "compact", "compact,delete")).isFalse();
    assertThat(TopicPlan.sameValue("retention.ms", " 604800000", "604800000")).isTrue();
    assertThat(TopicPlan.sameValue("retention.ms", "0604800000", "604800000")).isTrue();
    assertThat(TopicPlan.sameValue("retention.ms", null, "604800000")).isFalse();
    assertThat(TopicPlan.sameValue("compression.type", "lz4", "zstd")).isFalse();
  }

  /** A described topic built as the spec asks, with some of the broker's other configs. */
  private static TopicState asCreated(TopicSpec spec) {
    return new Described(spec).state();
  }

  private List<TopicMismatch> differences(LogicalTopic topic, Consumer<Described> change) {
    TopicSpec spec = catalog.spec(topic);
    Described described = new Described(spec);
    change.accept(described);
    TopicPlan plan = TopicPlan.compare(catalog.specs(), Map.of(spec.name(), described.state()));
    TopicCheck check = check(plan, topic);
    assertThat(check.status()).isEqualTo(TopicStatus.DIFFERS);
    assertThat(plan.anyDiffers()).isTrue();
    return check.mismatches();
  }

  private TopicCheck check(TopicPlan plan, LogicalTopic topic) {
    return plan.checks().stream()
        .filter(c -> c.name().equals(catalog.name(topic)))
        .findFirst()
        .orElseThrow();
  }

  /** A topic as describeTopics and describeConfigs would show it, changed by a test. */
  private static final class Described {
    final String name;
    int partitions;
    int replicas;
    final Map<String, String> configs = new HashMap<>();

    Described(TopicSpec spec) {
      name = spec.name();
      partitions = spec.partitions();
      replicas = spec.replicationFactor();
      configs.put("segment.bytes", "1073741824");
      configs.put("retention.ms", "604800000");
      configs.putAll(spec.topicConfigs());
    }

    TopicState state() {
      return new TopicState(name, partitions, replicas, configs);
    }
  }
}
