package io.expertflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.schemas.topics.CleanupPolicy;
import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.ProvisioningResult;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicMismatch;
import io.expertflow.schemas.topics.TopicMismatchException;
import io.expertflow.schemas.topics.TopicProvisioner;
import io.expertflow.schemas.topics.TopicSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithLocalStack
class TopicProvisionerIT {

  private final LocalStack stack;
  private Admin admin;

  TopicProvisionerIT(LocalStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void openAdmin() {
    admin = stack.newAdmin();
  }

  @AfterEach
  void closeAdmin() {
    admin.close();
  }

  @Test
  void shouldCreateTheCatalogOnceAndAcceptItUnchangedTheSecondTime() throws Exception {
    TopicCatalog catalog = TopicCatalog.builder().prefix("provision-twice.").build();
    TopicProvisioner provisioner = new TopicProvisioner(admin);

    ProvisioningResult first = provisioner.provision(catalog);
    ProvisioningResult second = provisioner.provision(catalog);

    List<String> names = catalog.specs().stream().map(TopicSpec::name).toList();
    assertThat(first.created()).containsExactlyInAnyOrderElementsOf(names);
    assertThat(first.existing()).isEmpty();
    assertThat(second.created()).isEmpty();
    assertThat(second.existing()).containsExactlyInAnyOrderElementsOf(names);
    assertThat(admin.describeTopics(names).allTopicNames().get())
        .allSatisfy(
            (name, description) ->
                assertThat(description.partitions())
                    .hasSize(
                        catalog.specs().stream()
                            .filter(spec -> spec.name().equals(name))
                            .findFirst()
                            .orElseThrow()
                            .partitions()));
  }

  @Test
  void shouldReportEveryMismatchInPartitionsAndCleanupPolicy() {
    TopicSpec existing = TopicSpec.builder("mismatch").prefix("provision-").partitions(1).build();
    TopicProvisioner provisioner = new TopicProvisioner(admin);
    provisioner.provision(List.of(existing));

    TopicSpec wanted =
        existing.toBuilder().partitions(2).cleanupPolicy(CleanupPolicy.COMPACT).build();

    assertThatThrownBy(() -> provisioner.provision(List.of(wanted)))
        .isInstanceOf(TopicMismatchException.class)
        .hasMessageContaining("provision-mismatch: partitions is 1, expected 2")
        .hasMessageContaining("provision-mismatch: cleanup.policy is delete, expected compact")
        .satisfies(
            e ->
                assertThat(((TopicMismatchException) e).mismatches())
                    .extracting(TopicMismatch::setting)
                    .containsExactly("partitions", "cleanup.policy"));
  }

  @Test
  void shouldCompactExactlyTheExpertUpdatesAndModelVersions(TopicCatalog topics) throws Exception {
    List<ConfigResource> resources =
        topics.specs().stream()
            .map(spec -> new ConfigResource(ConfigResource.Type.TOPIC, spec.name()))
            .toList();

    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();

    Map<String, String> policies =
        configs.entrySet().stream()
            .collect(
                Collectors.toMap(
                    entry -> entry.getKey().name(),
                    entry -> entry.getValue().get("cleanup.policy").value()));
    assertThat(policies)
        .containsEntry(topics.name(LogicalTopic.EXPERT_UPDATES), "compact")
        .containsEntry(topics.name(LogicalTopic.MODEL_VERSIONS), "compact")
        .containsEntry(topics.name(LogicalTopic.REQUESTS), "delete")
        .containsEntry(topics.name(LogicalTopic.AUDIT), "delete");
    assertThat(policies.values()).filteredOn("compact"::equals).hasSize(2);
  }
}
