package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import io.expertflow.versions.BaseModel;
import io.expertflow.versions.VersionPublisher;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code expertflow versions} against the real broker and registry. */
@WithLocalStack
class VersionsCommandIT {
  @TempDir Path bundleDir;

  @Test
  void shouldListVersionsMarkTheServedOneAndRollBackOnlyToAServableVersion(LocalStack stack) {
    TopicCatalog topics = stack.isolatedTopics("VersionsCommandIT");
    BaseModel base = BaseModel.of(ModelBundles.tiny(bundleDir, List.of("a", "b", "c", "d")));
    publish(stack, topics, base);
    String[] connection = {
      "-b",
      stack.bootstrapServers(),
      "-r",
      stack.schemaRegistryUrl(),
      "--topic-prefix",
      topics.prefix()
    };

    CliRun list = run(connection, "versions", "list");
    CliRun rejected = run(connection, "versions", "rollback", "--to", "v2");
    CliRun unknown = run(connection, "versions", "rollback", "--to", "v7");
    CliRun back = run(connection, "versions", "rollback", "--to", "test-1");
    CliRun after = run(connection, "versions", "list");

    assertThat(list.code()).isZero();
    assertThat(list.out())
        .contains("model expertflow-tiny-test")
        .containsPattern("\\* v1 +test-1 +PUBLISHED +\\[1\\]")
        .containsPattern("\\n +v2 +v1 +REJECTED")
        .contains("0.500 -> 0.900")
        .contains("serving v1 (PUBLISHED");
    assertThat(rejected.code()).isEqualTo(1);
    assertThat(rejected.err()).contains("v2 was REJECTED (guard set regressed)");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("v7").contains("'expertflow versions list'");
    assertThat(back.code()).isZero();
    assertThat(back.out()).contains("now serves test-1 (was v1)");
    assertThat(after.out())
        .containsPattern("\\* test-1 +- +BASE")
        .contains("serving test-1 (ROLLBACK: rolled back by an operator)");
  }

  private static CliRun run(String[] connection, String... args) {
    return CliRun.run(args, connection);
  }

  /** v1: published, changing expert 1; v2: rejected. */
  private static void publish(LocalStack stack, TopicCatalog topics, BaseModel base) {
    Map<String, Object> p = new HashMap<>(stack.clientProperties());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      VersionPublisher publisher =
          new VersionPublisher(producer, new TopicNames(topics.prefix()), stack.registryClient());
      MoeHeadWeights weights = base.weights().copy();
      publisher.publish(
          version(base, "v1", "test-1", ModelVersionState.PUBLISHED, "better on holdout"), weights);
      publisher.publish(
          version(base, "v2", "v1", ModelVersionState.REJECTED, "guard set regressed"), weights);
    }
  }

  private static ModelVersion version(
      BaseModel base, String id, String parent, ModelVersionState state, String reason) {
    return ModelVersion.newBuilder()
        .setModelName(base.name())
        .setVersion(id)
        .setParentVersion(parent)
        .setBaseBundleSha256(base.sha256())
        .setState(state)
        .setChangedExperts(List.of(1))
        .setExpertVersions(state == ModelVersionState.PUBLISHED ? Map.of("1", id) : Map.of())
        .setParametersChanged(40)
        .setParametersTotal(base.weights().config().expertParameters())
        .setMetricsBefore(Map.of("holdout_accuracy", 0.5, "guard_accuracy", 0.8))
        .setMetricsAfter(Map.of("holdout_accuracy", 0.9, "guard_accuracy", 0.8))
        .setReason(reason)
        .setCreatedAt(Instant.now())
        .build();
  }
}
