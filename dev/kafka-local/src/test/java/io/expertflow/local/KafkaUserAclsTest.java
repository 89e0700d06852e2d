package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaUserAclsTest {

  private static final Path MANIFESTS = Path.of("../../deploy/k8s/base/kafka-users.yaml");

  @Test
  void shouldReadEveryUserAndOneBindingPerOperation() {
    KafkaUserAcls acls = KafkaUserAcls.load(MANIFESTS);

    assertThat(acls.users())
        .containsExactly(
            "expertflow-client",
            "expertflow-keda",
            "expertflow-status-reader",
            "expertflow-streams",
            "expertflow-updater",
            "expertflow-worker");
    assertThat(acls.of("expertflow-streams")).hasSize(50);
    assertThat(acls.of("expertflow-worker")).hasSize(18);
    assertThat(acls.of("expertflow-updater")).hasSize(10);
    assertThat(acls.of("expertflow-status-reader")).hasSize(12);
    assertThat(acls.of("expertflow-client")).hasSize(4);
    assertThat(acls.of("expertflow-keda")).hasSize(2);
    assertThat(acls.all()).hasSize(96);
    assertThat(acls.of("nobody")).isEmpty();
  }

  @Test
  void shouldMapResourcesPatternsAndOperationsExactly() {
    KafkaUserAcls acls = KafkaUserAcls.load(MANIFESTS);

    assertThat(acls.of("expertflow-client"))
        .containsExactlyInAnyOrder(
            allow(
                "expertflow-client",
                ResourceType.TOPIC,
                "expertflow.requests.inbound",
                PatternType.LITERAL,
                AclOperation.WRITE),
            allow(
                "expertflow-client",
                ResourceType.TOPIC,
                "expertflow.requests.inbound",
                PatternType.LITERAL,
                AclOperation.DESCRIBE),
            allow(
                "expertflow-client",
                ResourceType.TOPIC,
                "expertflow.feedback",
                PatternType.LITERAL,
                AclOperation.WRITE),
            allow(
                "expertflow-client",
                ResourceType.TOPIC,
                "expertflow.feedback",
                PatternType.LITERAL,
                AclOperation.DESCRIBE));
    assertThat(acls.of("expertflow-worker"))
        .contains(
            allow(
                "expertflow-worker",
                ResourceType.GROUP,
                "expertflow-workers",
                PatternType.LITERAL,
                AclOperation.DESCRIBE_CONFIGS),
            allow(
                "expertflow-worker",
                ResourceType.TRANSACTIONAL_ID,
                "expertflow-worker-",
                PatternType.PREFIXED,
                AclOperation.WRITE));
    assertThat(acls.of("expertflow-streams"))
        .contains(
            allow(
                "expertflow-streams",
                ResourceType.TOPIC,
                "expertflow-streams-",
                PatternType.PREFIXED,
                AclOperation.ALTER_CONFIGS));
  }

  @Test
  void shouldPutTheRunsTopicPrefixInPlaceOfTheManifestsOne() {
    KafkaUserAcls acls = KafkaUserAcls.load(MANIFESTS, "run7.");

    assertThat(acls.of("expertflow-client"))
        .extracting(binding -> binding.pattern().name())
        .containsOnly("run7.requests.inbound", "run7.feedback");
    // Kafka Streams' own topics are named after the application id, not the topic prefix
    assertThat(acls.of("expertflow-streams"))
        .extracting(binding -> binding.pattern().name())
        .contains("expertflow-streams-", "run7.audit");
  }

  @Test
  void shouldRefuseAnUnknownOperationNamingUserAndValue(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("users.yaml");
    Files.writeString(
        file,
        """
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaUser
        metadata: {name: reader}
        spec:
          authorization:
            type: simple
            acls:
              - resource: {type: topic, name: expertflow.responses, patternType: literal}
                operations: [Read, Peek]
        """);

    assertThatThrownBy(() -> KafkaUserAcls.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KafkaUser reader")
        .hasMessageContaining("unknown operation 'Peek'")
        .hasMessageContaining("DescribeConfigs");
  }

  @Test
  void shouldRefuseAnUnknownResourceType(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("users.yaml");
    Files.writeString(
        file,
        """
        kind: KafkaUser
        metadata: {name: reader}
        spec:
          authorization:
            acls:
              - resource: {type: queue, name: q}
                operations: [Read]
        """);

    assertThatThrownBy(() -> KafkaUserAcls.load(file))
        .hasMessageContaining("unknown resource type 'queue'");
  }

  private static AclBinding allow(
      String user, ResourceType type, String name, PatternType pattern, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
  }
}
