package io.expertflow.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicCatalogTest {

  @Test
  void shouldHoldEveryTopicOfTheDesignUnderTheDefaultPrefix() {
    TopicCatalog catalog = TopicCatalog.builder().build();

    assertThat(catalog.specs())
        .extracting(TopicSpec::name)
        .containsExactly(
            "expertflow.requests.inbound",
            "expertflow.requests",
            "expertflow.responses",
            "expertflow.responses.approved",
            "expertflow.responses.review",
            "expertflow.responses.blocked",
            "expertflow.dead-letters",
            "expertflow.audit",
            "expertflow.feedback",
            "expertflow.feedback.attributed",
            "expertflow.expert-stats",
            "expertflow.expert-updates",
            "expertflow.model-versions",
            "expertflow.review-decisions",
            "expertflow.memory");
  }

  @Test
  void shouldCompactOnlyTheExpertUpdatesAndModelVersions() {
    TopicCatalog catalog = TopicCatalog.builder().build();

    assertThat(catalog.specs())
        .filteredOn(spec -> spec.cleanupPolicy() == CleanupPolicy.COMPACT)
        .extracting(TopicSpec::logicalName)
        .containsExactlyInAnyOrder("expert-updates", "model-versions");
    assertThat(catalog.spec(LogicalTopic.MODEL_VERSIONS).retention()).isEmpty();
    assertThat(catalog.spec(LogicalTopic.AUDIT).retention()).isPresent();
  }

  @Test
  void shouldReplicateOncePerBrokerUpToThree() {
    assertThat(TopicCatalog.forCluster(1).spec(LogicalTopic.REQUESTS).replicationFactor())
        .isEqualTo((short) 1);
    assertThat(TopicCatalog.forCluster(2).spec(LogicalTopic.REQUESTS).replicationFactor())
        .isEqualTo((short) 2);
    assertThat(TopicCatalog.forCluster(7).spec(LogicalTopic.AUDIT).replicationFactor())
        .isEqualTo((short) 3);
    assertThatThrownBy(() -> TopicCatalog.replicationFactorFor(0))
        .hasMessageContaining("got 0 brokers");
  }

  @Test
  void shouldApplyPrefixAndPartitionOverrides() {
    TopicCatalog catalog =
        TopicCatalog.builder()
            .prefix("test-42.")
            .partitionsOfEveryTopic(1)
            .partitions(LogicalTopic.REQUESTS, 4)
            .config(LogicalTopic.EXPERT_UPDATES, "max.message.bytes", "8388608")
            .build();

    assertThat(catalog.name(LogicalTopic.REQUESTS)).isEqualTo("test-42.requests");
    assertThat(catalog.spec(LogicalTopic.REQUESTS).partitions()).isEqualTo(4);
    assertThat(catalog.spec(LogicalTopic.AUDIT).partitions()).isEqualTo(1);
    assertThat(catalog.spec(LogicalTopic.EXPERT_UPDATES).topicConfigs())
        .containsEntry("max.message.bytes", "8388608")
        .containsEntry("cleanup.policy", "compact");
  }

  @Test
  void shouldRefuseToSplitTheCoPartitionedResponsesAndFeedback() {
    assertThatThrownBy(() -> TopicCatalog.builder().partitions(LogicalTopic.FEEDBACK, 3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'responses' (12 partitions)")
        .hasMessageContaining("'feedback' (3 partitions)");
  }

  @Test
  void shouldAskOneReplicaLessThanTheReplicationFactorInSyncFromTwoReplicasUp() {
    assertThat(TopicCatalog.forCluster(1).spec(LogicalTopic.REQUESTS).minInsyncReplicas())
        .contains(1);
    assertThat(TopicCatalog.forCluster(2).spec(LogicalTopic.REQUESTS).minInsyncReplicas())
        .contains(1);
    assertThat(TopicCatalog.forCluster(5).minInsyncReplicas()).isEqualTo((short) 2);
    assertThat(TopicCatalog.forCluster(5).spec(LogicalTopic.AUDIT).topicConfigs())
        .containsEntry("min.insync.replicas", "2");
    assertThat(
            TopicCatalog.builder()
                .replicationFactor((short) 3)
                .minInsyncReplicas((short) 3)
                .build()
                .spec(LogicalTopic.FEEDBACK)
                .minInsyncReplicas())
        .contains(3);
  }

  @Test
  void shouldRefuseMoreInSyncReplicasThanReplicasNamingTheTopic() {
    assertThatThrownBy(
            () ->
                TopicCatalog.builder()
                    .replicationFactor((short) 1)
                    .minInsyncReplicas((short) 2)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expertflow.requests.inbound")
        .hasMessageContaining("min.insync.replicas must be between 1 and the replication factor");
  }
}
