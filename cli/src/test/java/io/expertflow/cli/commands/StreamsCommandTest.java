package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.streams.AppTopology;
import io.expertflow.streams.StreamsAppConfig;
import io.expertflow.streams.StreamsAppProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
            "--stats-grace", "1h",
            "--dedup-window", "PT2H",
            "--http-port", "0",
            "--streams-config", "replication.factor=3");

    StreamsAppConfig config = config(command);

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

  @Test
  void shouldKeepTheConnectionFromTheConfigFileWhenNoFlagGivesIt(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("streams.properties");
    Files.writeString(
        file,
        "bootstrap.servers=prod-kafka:9093\n"
            + "schema.registry.url=https://registry.example:8081\n"
            + "topic.prefix=prod.\n");
    StreamsCommand command = new StreamsCommand();
    new CommandLine(command).parseArgs("--config", file.toString());
    command.settingSources.environment = Map.of();

    StreamsAppConfig config = config(command);

    assertThat(config.bootstrapServers()).isEqualTo("prod-kafka:9093");
    assertThat(config.schemaRegistryUrl()).isEqualTo("https://registry.example:8081");
    assertThat(config.topics().requests()).isEqualTo("prod.requests");
  }

  @Test
  void shouldReadExpertflowEnvironmentVariablesAboveTheFileAndBelowFlags(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("streams.properties");
    Files.writeString(file, "intake.max.chunks=7\nhttp.port=9000\n");
    StreamsCommand command = new StreamsCommand();
    new CommandLine(command).parseArgs("--config", file.toString(), "--http-port", "9100");
    command.settingSources.environment =
        Map.of(
            "EXPERTFLOW_INTAKE_MAX_CHUNKS", "9",
            "EXPERTFLOW_HTTP_PORT", "9001",
            "EXPERTFLOW_TOPIC_PREFIX", "env.");

    StreamsAppConfig config = config(command);

    assertThat(config.intake().maxChunks()).isEqualTo(9);
    assertThat(config.httpPort()).isEqualTo(9100);
    assertThat(config.topics().requests()).isEqualTo("env.requests");
  }

  @Test
  void shouldRefuseAnUnknownKeyInTheConfigFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("streams.properties");
    Files.writeString(file, "stats.windowsize=7d\n");
    StreamsCommand command = new StreamsCommand();
    new CommandLine(command).parseArgs("--config", file.toString());

    assertThatThrownBy(() -> config(command))
        .hasMessageContaining("'stats.windowsize'")
        .hasMessageContaining("did you mean stats.window.size?");
  }

  @Test
  void shouldKeepItsStateInTheLocalStacksOwnFolderWhenRunAgainstThatStack(@TempDir Path dir)
      throws Exception {
    Path stack = dir.resolve("stack.properties");
    Path stackState = dir.resolve("stack-state");
    Files.writeString(
        stack,
        "bootstrap.servers=localhost:39092\n"
            + LocalInfrastructure.STACK_STREAMS_STATE
            + "="
            + stackState.toString().replace("\\", "\\\\")
            + "\n");

    StreamsCommand againstStack = command(stack, "-b", "localhost:39092");
    StreamsCommand elsewhere = command(stack, "-b", "kafka.example:9092");
    StreamsCommand chosen =
        command(stack, "-b", "localhost:39092", "--state-dir", dir.resolve("mine").toString());
    StreamsCommand noStack = command(dir.resolve("absent.properties"), "-b", "localhost:39092");

    assertThat(config(againstStack).stateDir()).isEqualTo(stackState);
    assertThat(config(elsewhere).stateDir()).isEqualTo(StreamsAppConfig.DEFAULT_STATE_DIR);
    assertThat(config(chosen).stateDir()).isEqualTo(dir.resolve("mine"));
    assertThat(config(noStack).stateDir()).isEqualTo(StreamsAppConfig.DEFAULT_STATE_DIR);
  }

  @Test
  void shouldServeItsApiOnLoopbackAloneWhenRunAgainstTheLocalStack(@TempDir Path dir)
      throws Exception {
    Path stack = dir.resolve("stack.properties");
    Files.writeString(stack, "bootstrap.servers=localhost:39092\n");

    StreamsCommand againstStack = command(stack, "-b", "localhost:39092");
    StreamsCommand elsewhere = command(stack, "-b", "kafka.example:9092");
    StreamsCommand chosen = command(stack, "-b", "localhost:39092", "--http-bind", "0.0.0.0");
    StreamsCommand noStack = command(dir.resolve("absent.properties"), "-b", "localhost:39092");

    assertThat(config(againstStack).httpBind()).isEqualTo("127.0.0.1");
    assertThat(config(elsewhere).httpBind()).isEqualTo(StreamsAppConfig.DEFAULT_HTTP_BIND);
    assertThat(config(chosen).httpBind()).isEqualTo("0.0.0.0");
    assertThat(config(noStack).httpBind()).isEqualTo(StreamsAppConfig.DEFAULT_HTTP_BIND);
  }

  private static StreamsCommand command(Path stackFile, String... args) {
    StreamsCommand command = new StreamsCommand();
    new CommandLine(command).parseArgs(args);
    command.settingSources.environment = Map.of();
    command.stackFile = stackFile;
    return command;
  }

  private static StreamsAppConfig config(StreamsCommand command) {
    return StreamsAppProperties.toConfig(command.settings());
  }
}
