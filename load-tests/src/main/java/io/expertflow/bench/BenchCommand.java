package io.expertflow.bench;

import io.expertflow.bench.report.BenchResult;
import io.expertflow.bench.report.HtmlReport;
import io.expertflow.bench.report.Prices;
import io.expertflow.bench.worker.Report;
import io.expertflow.bench.worker.Sweeps;
import io.expertflow.bench.worker.WorkerThroughputBenchmark;
import io.expertflow.cli.commands.TrainCommand;
import io.expertflow.model.bundle.EncoderVariant;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code expertflow bench}: the worker benchmark behind a command. On the same documents and
 * bundle, in one run: the engine alone (a sweep over batch sizes, then the ceiling), the worker
 * through the real broker, and the naive Kafka Streams baseline (the same bundle once per record,
 * exactly-once), in rounds back to back, then an open-loop latency phase; prints the tables and
 * writes every figure, with the machine, commit and settings, as JSON, and the same figures as a
 * self-contained HTML report beside it.
 */
@Command(
    name = "expertflow bench",
    showDefaultValues = true,
    mixinStandardHelpOptions = true,
    description = {
      "Measures the worker against the engine alone (its ceiling) and against a naive Kafka"
          + " Streams application that runs the same model once per record, side by side on the"
          + " same documents, in rounds; then latency at a fixed open-loop rate. Starts its own"
          + " broker and schema registry. Run it with nothing else busy on the machine.",
      "",
      "Examples:",
      "  expertflow bench",
      "  expertflow bench --docs 400 --rounds 5 --set engine.intra.op.threads=1",
      "  expertflow bench --encoder e5-small-v2-static",
      "  expertflow bench --report-from build/bench.json --price-cpu-core-hour 0.025"
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--cache",
      description =
          "Cache with the corpora as 'expertflow train' fetches them (default: $EXPERTFLOW_CACHE"
              + " or ~/.cache/expertflow).")
  Path cache;

  @Option(names = "--docs", defaultValue = "200", description = "Documents per timed phase.")
  int docs;

  @Option(
      names = "--max-chunks",
      defaultValue = "4",
      description = "Chunks per document at most (128 tokens each).")
  int maxChunks;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "Rounds of ceiling, worker and naive baseline; ratios are their medians.")
  int rounds;

  @Option(
      names = "--open-loop",
      split = ",",
      defaultValue = "0.25,0.5,0.8,0.95",
      paramLabel = "FRACTION",
      description =
          "Open-loop arrival rates (Poisson) as fractions of the worker's measured rate;"
              + " latency is measured from each request's intended send time.")
  List<Double> openLoopFractions;

  @Option(
      names = "--open-loop-docs",
      defaultValue = "400",
      description = "Requests per open-loop rate.")
  int openLoopDocs;

  @Option(
      names = "--lengths",
      split = ",",
      defaultValue = "1,4,16,32",
      paramLabel = "CHUNKS",
      description =
          "Document lengths in chunks for the length sweep (and a mixed stream of them); 0 skips"
              + " the sweep.")
  List<Integer> lengths;

  @Option(
      names = "--length-chunks",
      defaultValue = "512",
      description = "Chunks per length of the length sweep (documents = this / length).")
  int lengthChunks;

  @Option(
      names = "--encoder",
      paramLabel = "NAME",
      defaultValue = "int8-static",
      description =
          "Built-in encoder of the benchmark's bundle: int8-static (all-MiniLM-L6-v2, the"
              + " fastest), e5-small-v2-static (the one expertflow train embeds with by default) or"
              + " another that train --encoder names.")
  String encoder;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "A worker setting for this run, as 'expertflow worker' takes it (repeatable).")
  Map<String, String> settings = new TreeMap<>();

  @Option(
      names = "--json",
      description =
          "Where to write the results (default: expertflow-runs/bench-<time>/bench.json).")
  Path json;

  @Option(
      names = "--report-from",
      paramLabel = "BENCH_JSON",
      description =
          "Measure nothing: write the HTML report of an earlier run's JSON beside it and exit.")
  Path reportFrom;

  @Option(
      names = "--price-cpu-core-hour",
      paramLabel = "USD",
      description =
          "Price of one CPU core for an hour, for the cost per million documents (default "
              + Prices.DEFAULT_CPU_CORE_HOUR
              + "; with --report-from, the run's own when it recorded one).")
  Double priceCpuCoreHour;

  @Option(
      names = "--price-gpu-hour",
      paramLabel = "USD",
      description =
          "Price of one GPU for an hour, counted when the device is cuda (default "
              + Prices.DEFAULT_GPU_HOUR
              + "; with --report-from, the run's own when it recorded one).")
  Double priceGpuHour;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Prices prices;
    try {
      prices = prices(Prices.DEFAULTS);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("bench: " + e.getMessage());
      return 2;
    }
    if (reportFrom != null) {
      return reportFrom(out);
    }
    Path corpora = cache != null ? cache : TrainCommand.defaultCache();
    Path result =
        json != null
            ? json
            : Path.of(
                "expertflow-runs",
                "bench-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")),
                "bench.json");
    EncoderVariant variant;
    try {
      variant = EncoderVariant.parse(encoder);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("bench: " + e.getMessage());
      return 2;
    }
    Map<String, Object> setup = setup(corpora);
    out.printf(
        "bench: %d documents x %d rounds, at most %d chunks each, %d cores, load %.1f; results"
            + " in %s%n",
        docs,
        rounds,
        maxChunks,
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        result.toAbsolutePath());
    out.flush();
    Report report;
    try {
      Sweeps sweeps = // refused before anything starts
          new Sweeps(
              openLoopFractions,
              openLoopDocs,
              lengths.equals(List.of(0)) ? List.of() : lengths,
              lengthChunks);
      report =
          WorkerThroughputBenchmark.run(
              corpora, docs, maxChunks, rounds, settings, sweeps, variant);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("bench: " + e.getMessage());
      return 2;
    }
    report.print();
    report.provider().ifPresent(p -> setup.put("device", p)); // what the engine ran on
    Path html = BenchFiles.writeResults(result, report.json(setup), prices);
    out.println();
    out.println("results: " + result.toAbsolutePath());
    out.println("report:  " + html.toAbsolutePath());
    return 0;
  }

  /** {@code --report-from}: the HTML of an earlier run, at its own prices unless flags say. */
  private int reportFrom(PrintWriter out) {
    BenchResult earlier;
    try {
      earlier = BenchResult.read(reportFrom);
    } catch (IOException | IllegalArgumentException e) {
      spec.commandLine()
          .getErr()
          .println(
              "bench: cannot read "
                  + reportFrom
                  + " as a bench result ("
                  + e.getMessage()
                  + "); name the bench.json an earlier 'expertflow bench' wrote");
      return 2;
    }
    try {
      Path html =
          HtmlReport.writeBeside(
              reportFrom, earlier, prices(earlier.recordedPrices().orElse(Prices.DEFAULTS)));
      out.println("report: " + html.toAbsolutePath());
      return 0;
    } catch (IOException e) {
      spec.commandLine().getErr().println("bench: cannot write the report: " + e.getMessage());
      return 1;
    }
  }

  /** The prices from the flags; a price not given comes from {@code fallback}. */
  private Prices prices(Prices fallback) {
    return new Prices(
        priceCpuCoreHour != null ? priceCpuCoreHour : fallback.cpuCoreHour(),
        priceGpuHour != null ? priceGpuHour : fallback.gpuHour());
  }

  /** What was measured, where and with what: written beside every figure. */
  Map<String, Object> setup(Path corpora) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("started_at", Instant.now().toString());
    s.put("documents", docs);
    s.put("max_chunks", maxChunks);
    s.put("rounds", rounds);
    s.put("worker_settings", settings);
    s.put("open_loop_fractions", openLoopFractions);
    s.put("lengths", lengths);
    s.put("corpora", corpora.toAbsolutePath().toString());
    s.put(
        "model",
        EncoderVariant.parse(encoder).id()
            + " encoder and a default-size MoE head (E=128, k=2, M=32), random weights");
    s.put(
        "device", settings.getOrDefault("engine.provider", "auto (CUDA when available, else CPU)"));
    s.put("machine", io.expertflow.bench.worker.BenchSetup.machine());
    BenchFiles.commit().ifPresent(c -> s.put("commit", c));
    return s;
  }
}
