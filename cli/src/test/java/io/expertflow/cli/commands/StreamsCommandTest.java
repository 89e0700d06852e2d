package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.streams.AppTopology;
import io.expertflow.streams.StreamsAppConfig;
import io.expertflow.streams.StreamsAppProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StreamsCommandTest {

  @Test
  void shouldMapFlagsOntoTheAppConfigWithFlagsWinningOverTheConfigFile(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("streams.properties");
    Files.writeString(file, "stats.window.size=P14D\nhttp.port=9000\nintake.max.chunks=7\n");
    StreamsCommand command = new StreamsCommand();
    new CommandLine(command)
        .parseArgs(
            "--config", file.toString(),
            "-b", "kafka:9092",
            "--topic-prefix", "t.",
            "--topologies", "intake,stats",
            "--stats-window", "P1D",
            "--stats-grace", "PT1H",
            "--dedup-window", "PT2H",
            "--http-port", "0",
            "--streams-config", "replication.factor=3");

    StreamsAppConfig config = StreamsAppProperties.toConfig(command.properties());

    assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(config.topics().requests()).isEqualTo("t.requests");
    assertThat(config.topologies())
        .containsExactlyInAnyOrder(AppTopology.INTAKE, AppTopology.STATS);
    assertThat(config.stats().windowSize()).isEqualTo(Duration.ofDays(1));
    assertThat(config.stats().grace()).isEqualTo(Duration.ofHours(1));
    assertThat(config.intake().dedupWindow()).isEqualTo(Duration.ofHours(2));
    assertThat(config.intake().maxChunks()).isEqualTo(7);
    assertThat(config.httpPort()).isZero();
    assertThat(config.streamsOverrides()).containsEntry("replication.factor", "3");
  }
}
