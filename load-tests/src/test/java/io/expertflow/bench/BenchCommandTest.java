package io.expertflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code expertflow bench}'s command line and result file, without running the benchmark. */
class BenchCommandTest {
  @TempDir Path dir;

  @Test
  void shouldRefuseNonsenseSizesBeforeStartingAnything() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));

    int rc = cli.execute("--docs", "0", "--cache", dir.toString(), "--json", dir + "/r.json");

    assertThat(rc).isEqualTo(2);
    assertThat(err.toString())
        .contains("bench: documents, chunks per document and rounds must be at least 1");
    assertThat(dir.resolve("r.json")).doesNotExist();
  }

  @Test
  void shouldRefuseSweepsOutsideWhatCanBeMeasured() {
    for (String[] args :
        new String[][] {
          {"--open-loop", "0.5,0"},
          {"--open-loop", "3"},
          {"--lengths", "1,64"},
          {"--length-chunks", "0"}
        }) {
      StringWriter err = new StringWriter();
      CommandLine cli = new CommandLine(new BenchCommand());
      cli.setErr(new PrintWriter(err));
      cli.setOut(new PrintWriter(new StringWriter()));
      String[] all = new String[args.length + 4];
      System.arraycopy(args, 0, all, 0, args.length);
      System.arraycopy(
          new String[] {"--cache", dir.toString(), "--json", dir + "/r.json"},
          0,
          all,
          args.length,
          4);

      int rc = cli.execute(all);

      assertThat(rc).as(String.join(" ", args)).isEqualTo(2);
      assertThat(err.toString()).as(String.join(" ", args)).startsWith("bench: ");
      assertThat(dir.resolve("r.json")).doesNotExist();
    }
  }

  @Test
  void shouldRecordTheSetupBesideEveryFigure() throws Exception {
    BenchCommand command = new BenchCommand();
    new CommandLine(command)
        .parseArgs("--docs", "50", "--rounds", "2", "--set", "engine.provider=cpu");
    Map<String, Object> setup = command.setup(dir);
    Path file = dir.resolve("out/bench.json");

    BenchCommand.write(file, Map.of("setup", setup, "worker_over_ceiling_median", 0.9));

    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.at("/setup/documents").asInt()).isEqualTo(50);
    assertThat(json.at("/setup/rounds").asInt()).isEqualTo(2);
    assertThat(json.at("/setup/device").asText()).isEqualTo("cpu");
    assertThat(json.at("/setup/worker_settings/engine.provider").asText()).isEqualTo("cpu");
    assertThat(json.at("/setup/machine/cores").asInt())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(json.at("/worker_over_ceiling_median").asDouble()).isEqualTo(0.9);
  }
}
