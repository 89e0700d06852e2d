package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.operators.update.UpdateScope;
import io.expertflow.updater.UpdaterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UpdaterCommandTest {

  @Test
  void shouldMapFlagsSetAndConfigFileOntoTheUpdaterConfigWithFlagsWinning(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("updater.properties");
    Files.writeString(file, "update.epochs=5\nselection.parameter.budget.share=0.03\n");
    UpdaterCommand command = new UpdaterCommand();
    new CommandLine(command)
        .parseArgs(
            "--bundle", dir.toString(),
            "--config", file.toString(),
            "--budget-share", "0.05",
            "--settle-ms", "250",
            "--scope", "all_outputs",
            "--set", "update.max.guard.drop=0.02",
            "--topic-prefix", "acme.");

    UpdaterConfig config = command.settings();

    assertThat(config.topics().modelVersions()).isEqualTo("acme.model-versions");
    assertThat(config.settle()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.selection().parameterBudgetShare()).isEqualTo(0.05);
    assertThat(config.selection().scope()).isEqualTo(UpdateScope.ALL_OUTPUTS);
    assertThat(config.update().epochs()).isEqualTo(5);
    assertThat(config.update().maxGuardDrop()).isEqualTo(0.02);
    assertThat(config.update().learningRate()).isEqualTo(0.005);
  }

  @Test
  void shouldTurnOnPrivateUpdatesFromTheirFlags(@TempDir Path dir) {
    UpdaterCommand command = new UpdaterCommand();
    new CommandLine(command)
        .parseArgs(
            "--bundle", dir.toString(),
            "--dp", "true",
            "--dp-noise", "3",
            "--dp-clip", "0.5",
            "--dp-max-epsilon", "12",
            "--set", "update.dp.max.samples.per.user=2");

    var dp = command.settings().update().dp();

    assertThat(dp.enabled()).isTrue();
    assertThat(dp.noiseMultiplier()).isEqualTo(3.0);
    assertThat(dp.clipNorm()).isEqualTo(0.5);
    assertThat(dp.maxEpsilon()).isEqualTo(12.0);
    assertThat(dp.maxSamplesPerUser()).isEqualTo(2);
  }

  @Test
  void shouldExplainThatTheTrainingOutputIsNeededWhenTheFolderHasNoBundle(@TempDir Path dir) {
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine cli = new CommandLine(new io.expertflow.cli.Expertflow());
    cli.setErr(new java.io.PrintWriter(err));
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return 1;
        });

    int code = cli.execute("updater", "--bundle", dir.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("no model bundle in " + dir)
        .contains("expertflow train --out DIR");
  }
}
