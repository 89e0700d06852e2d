package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.worker.WorkerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WorkerCommandTest {

  @Test
  void shouldKeepTheTopicPrefixAndConnectionFromTheConfigFileWhenNoFlagGivesThem(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("worker.properties");
    Files.writeString(
        file,
        "topic.prefix=prod.\n"
            + "bootstrap.servers=prod-kafka:9093\n"
            + "schema.registry.url=https://registry.example:8081\n");
    WorkerCommand command = parse("--bundle", dir.toString(), "--config", file.toString());

    WorkerSettings settings = WorkerSettings.from(command.settings());

    assertThat(settings.worker().topicPrefix()).isEqualTo("prod.");
    assertThat(command.connection.bootstrapServers()).isEqualTo("prod-kafka:9093");
    assertThat(command.connection.schemaRegistryUrl()).isEqualTo("https://registry.example:8081");
  }

  @Test
  void shouldLetSetAndFlagsWinOverTheFileAndTheEnvironment(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("worker.properties");
    Files.writeString(file, "topic.prefix=file.\nbatch.max.size=8\nmax.in.flight=10\n");
    WorkerCommand command =
        parse(
            "--bundle", dir.toString(),
            "--config", file.toString(),
            "--topic-prefix", "flag.",
            "--set", "batch.max.delay.ms=2s",
            "--set", "max.in.flight=30",
            "--max-in-flight", "40");
    command.settingSources.environment =
        Map.of("EXPERTFLOW_BATCH_MAX_SIZE", "16", "EXPERTFLOW_MAX_IN_FLIGHT", "20");

    WorkerSettings settings = WorkerSettings.from(command.settings());

    assertThat(settings.worker().topicPrefix()).isEqualTo("flag.");
    assertThat(settings.pipeline().encoderBatching().maxBatchSize()).isEqualTo(16);
    assertThat(settings.pipeline().encoderBatching().maxQueueDelay())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.worker().maxInFlight()).isEqualTo(40);
  }

  @Test
  void shouldRefuseAMisspelledBooleanFlagNamingKeyAndValue(@TempDir Path dir) {
    WorkerCommand command = parse("--bundle", dir.toString(), "--reload", "ture");

    assertThatThrownBy(command::settings)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reload.enabled='ture'")
        .hasMessageContaining("true or false");
  }

  private static WorkerCommand parse(String... args) {
    WorkerCommand command = new WorkerCommand();
    new CommandLine(command).parseArgs(args);
    command.settingSources.environment = Map.of();
    return command;
  }
}
