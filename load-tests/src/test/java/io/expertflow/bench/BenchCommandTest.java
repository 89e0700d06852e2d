package io.expertflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.bench.report.Prices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
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
          {"--length-chunks", "0"},
          {"--encoder", "e6-tiny"}
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
        .parseArgs(
            "--docs",
            "50",
            "--rounds",
            "2",
            "--set",
            "engine.provider=cpu",
            "--encoder",
            "e5-small-v2-static");
    Map<String, Object> setup = command.setup(dir);
    Path file = dir.resolve("out/bench.json");

    BenchFiles.write(file, Map.of("setup", setup, "worker_over_ceiling_median", 0.9));

    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.at("/setup/documents").asInt()).isEqualTo(50);
    assertThat(json.at("/setup/rounds").asInt()).isEqualTo(2);
    assertThat(json.at("/setup/device").asText()).isEqualTo("cpu");
    assertThat(json.at("/setup/model").asText()).startsWith("e5-small-v2-int8-static encoder");
    assertThat(json.at("/setup/worker_settings/engine.provider").asText()).isEqualTo("cpu");
    assertThat(json.at("/setup/machine/cores").asInt())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(json.at("/worker_over_ceiling_median").asDouble()).isEqualTo(0.9);
  }

  @Test
  void shouldWriteTheReportBesideTheResultsWithTheirCost() throws Exception {
    Map<String, Object> figures = fixture("/bench/bench-full.json");
    Path file = dir.resolve("run/bench.json");

    Path html = BenchFiles.writeResults(file, figures, new Prices(0.10, 3.00));

    assertThat(html).isEqualTo(dir.resolve("run/bench.html"));
    assertThat(Files.readString(html)).contains("<section id=\"throughput\">");
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.at("/cost_per_million_documents/price_cpu_core_hour").asDouble())
        .isEqualTo(0.10);
    assertThat(json.at("/cost_per_million_documents/worker").asDouble())
        .isCloseTo(2 * 0.10 * 1e6 / 46.30 / 3600, within(1e-9));
    assertThat(json.at("/worker_over_ceiling_median").asDouble()).isEqualTo(0.89);
  }

  @Test
  void shouldRenderAnEarlierRunAtItsOwnPricesUnlessTold() throws Exception {
    Path file = dir.resolve("bench.json");
    Map<String, Object> earlier = fixture("/bench/bench-before-sweeps.json");
    earlier.put(
        "cost_per_million_documents", Map.of("price_cpu_core_hour", 0.5, "price_gpu_hour", 9.0));
    BenchFiles.write(file, earlier);
    String before = Files.readString(file);
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setOut(new PrintWriter(out));

    int recorded = cli.execute("--report-from", file.toString());
    String atRecordedPrices = Files.readString(dir.resolve("bench.html"));
    int told = cli.execute("--report-from", file.toString(), "--price-cpu-core-hour", "1.5");
    String atToldPrices = Files.readString(dir.resolve("bench.html"));

    assertThat(recorded).isEqualTo(0);
    assertThat(told).isEqualTo(0);
    assertThat(out.toString()).contains("report: " + dir.resolve("bench.html").toAbsolutePath());
    assertThat(atRecordedPrices)
        .contains("2 cores × $0.500 a core-hour")
        .contains("not measured in this run");
    assertThat(atToldPrices).contains("2 cores × $1.50 a core-hour");
    assertThat(Files.readString(file))
        .as("the earlier run's file is left as it was")
        .isEqualTo(before);
  }

  @Test
  void shouldRefuseAReportFromAFileThatIsNotABenchResult() throws Exception {
    Path file = dir.resolve("notes.json");
    Files.writeString(file, "[1, 2]");
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));

    int rc = cli.execute("--report-from", file.toString());

    assertThat(rc).isEqualTo(2);
    assertThat(err.toString()).contains("bench: cannot read " + file + " as a bench result");
    assertThat(dir.resolve("notes.html")).doesNotExist();
  }

  @Test
  void shouldRefuseANegativePrice() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));

    int rc = cli.execute("--report-from", dir + "/bench.json", "--price-gpu-hour", "-3");

    assertThat(rc).isEqualTo(2);
    assertThat(err.toString()).contains("the price of a GPU-hour must be a number");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> fixture(String resource) throws Exception {
    try (var in = BenchCommandTest.class.getResourceAsStream(resource)) {
      return new ObjectMapper().readValue(in, Map.class);
    }
  }
}
