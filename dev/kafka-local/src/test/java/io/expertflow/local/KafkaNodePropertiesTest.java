package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
