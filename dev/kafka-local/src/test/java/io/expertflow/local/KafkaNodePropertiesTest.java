package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaNodePropertiesTest {

  @TempDir Path dir;

  @Test
  void shouldConfigureOneLoopbackNodeWithSingleReplicaInternalTopics() {
    Map<String, String> properties = KafkaNodeProperties.of(9092, 9093, dir, Map.of());

    assertThat(properties)
        .containsEntry("process.roles", "broker,controller")
        .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
        .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092")
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("share.coordinator.state.topic.replication.factor", "1")
        .containsEntry("share.coordinator.state.topic.min.isr", "1")
        .containsEntry("group.initial.rebalance.delay.ms", "0")
        .containsEntry("log.dirs", dir.toAbsolutePath().toString());
  }

  @Test
  void shouldMakeEachNodeOfAThreeNodeClusterAVoterWithThreeReplicasAndMinIsrTwo() {
    List<KafkaNodeProperties.Voter> voters =
        List.of(
            new KafkaNodeProperties.Voter(1, 9101),
            new KafkaNodeProperties.Voter(2, 9102),
            new KafkaNodeProperties.Voter(3, 9103));

    Map<String, String> properties = KafkaNodeProperties.ofNode(2, 9092, voters, dir, Map.of());

    assertThat(properties)
        .containsEntry("node.id", "2")
        .containsEntry(
            "controller.quorum.voters", "1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103")
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9102")
        .containsEntry("offsets.topic.replication.factor", "3")
        .containsEntry("transaction.state.log.replication.factor", "3")
        .containsEntry("transaction.state.log.min.isr", "2")
        .containsEntry("share.coordinator.state.topic.replication.factor", "3")
        .containsEntry("share.coordinator.state.topic.min.isr", "2")
        .containsEntry("default.replication.factor", "3")
        .containsEntry("min.insync.replicas", "2");
  }

  @Test
  void shouldGiveTwoNodesTwoReplicasAndMoreThanThreeNodesThree() {
    assertThat(KafkaNodeProperties.replicationFactorFor(2)).isEqualTo(2);
    assertThat(KafkaNodeProperties.minInsyncReplicasFor(2)).isEqualTo(1);
    assertThat(KafkaNodeProperties.replicationFactorFor(5)).isEqualTo(3);
    assertThat(KafkaNodeProperties.minInsyncReplicasFor(3)).isEqualTo(2);
  }

  @Test
  void shouldRefuseANodeThatIsNotAVoter() {
    List<KafkaNodeProperties.Voter> voters = List.of(new KafkaNodeProperties.Voter(1, 9101));

    assertThatThrownBy(() -> KafkaNodeProperties.ofNode(4, 9092, voters, dir, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Node 4");
  }

  @Test
  void shouldLetOverridesReplaceDefaults() {
    Map<String, String> properties =
        KafkaNodeProperties.of(
            9092, 9093, dir, Map.of("num.io.threads", "8", "auto.create.topics.enable", "false"));

    assertThat(properties)
        .containsEntry("num.io.threads", "8")
        .containsEntry("auto.create.topics.enable", "false");
  }

  @Test
  void shouldWriteAFileThatReadsBackWithNonAsciiPathsIntact() throws Exception {
    Path data = dir.resolve("dätä");
    Path file = dir.resolve("server.properties");

    KafkaNodeProperties.write(KafkaNodeProperties.of(1, 2, data, Map.of()), file);

    Properties read = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      read.load(in);
    }
    assertThat(read.getProperty("log.dirs")).isEqualTo(data.toAbsolutePath().toString());
  }
}
