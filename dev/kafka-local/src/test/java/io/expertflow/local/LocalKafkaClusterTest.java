package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a cluster is before any node runs: ports, folders, addresses, refusals. */
class LocalKafkaClusterTest {

  @TempDir Path workDir;

  @Test
  void shouldGiveNodeNTheFixedPortsPlusNMinusOneAndListEveryNodeAsBootstrap() {
    try (LocalKafkaCluster cluster =
        new LocalKafkaCluster(
            3,
            LocalKafkaBrokerConfig.builder()
                .workDir(workDir)
                .clientPort(19092)
                .controllerPort(19192)
                .build())) {

      assertThat(cluster.nodeIds()).containsExactly(1, 2, 3);
      assertThat(cluster.bootstrapServers())
          .isEqualTo("127.0.0.1:19092,127.0.0.1:19093,127.0.0.1:19094");
      assertThat(cluster.node(2).bootstrapServers()).isEqualTo("127.0.0.1:19093");
      assertThat(cluster.node(3).logFile())
          .isEqualTo(workDir.resolve("node-3").resolve("broker.log"));
      assertThat(cluster.node(2).pid()).isEmpty();
    }
  }

  @Test
  void shouldPickDistinctFreePortsWhenNoneAreGiven() {
    try (LocalKafkaCluster cluster =
        new LocalKafkaCluster(3, LocalKafkaBrokerConfig.builder().workDir(workDir).build())) {

      assertThat(cluster.bootstrapServers().split(",")).hasSize(3).doesNotHaveDuplicates();
    }
  }

  @Test
  void shouldRefuseClientAndControllerPortsThatOverlap() {
    LocalKafkaBrokerConfig overlapping =
        LocalKafkaBrokerConfig.builder()
            .workDir(workDir)
            .clientPort(19092)
            .controllerPort(19093)
            .build();

    assertThatThrownBy(() -> new LocalKafkaCluster(3, overlapping))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overlap at port 19093");
  }

  @Test
  void shouldRefuseAClusterWithoutNodesAndAnUnknownNode() {
    assertThatThrownBy(() -> new LocalKafkaCluster(0, LocalKafkaBrokerConfig.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one node");
    try (LocalKafkaCluster cluster =
        new LocalKafkaCluster(2, LocalKafkaBrokerConfig.builder().workDir(workDir).build())) {
      assertThatThrownBy(() -> cluster.node(3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("No node 3")
          .hasMessageContaining("[1, 2]");
    }
  }
}
