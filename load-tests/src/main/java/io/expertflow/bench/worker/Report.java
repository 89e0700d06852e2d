package io.expertflow.bench.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Collects the benchmark's figures and prints them as Markdown tables. Not thread-safe. */
public final class Report {
  private static final String OTHER = "other threads";
  private final List<String> lines = new ArrayList<>();
  private final List<String> rounds = new ArrayList<>();
  private final List<Double> ratios = new ArrayList<>();
  private final List<Double> naiveRatios = new ArrayList<>();
  private final List<Measured<EngineCeiling.Result>> ceilings = new ArrayList<>();
  private final List<WorkerRun.Timed> workers = new ArrayList<>();
  private final Map<String, Measured<?>> cpu = new LinkedHashMap<>();
  private final double loadAtStart = loadAverage();
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final List<Map<String, Object>> roundFigures = new ArrayList<>();

  void line(String measure, String format, Object... args) {
    lines.add("| " + measure + " | " + String.format(format, args) + " |");
  }

  /** A figure for the JSON result, under {@code key}. */
  void figure(String key, Object value) {
    figures.put(key, value);
  }

  /**
   * One round: the ceiling at the best batch, then the worker, then the naive Kafka Streams
   * baseline, back to back.
   */
  void round(
      Measured<EngineCeiling.Result> ceiling,
      WorkerRun.Timed worker,
      double naiveDocumentsPerSecond) {
    ceilings.add(ceiling);
    workers.add(worker);
    double ratio = worker.documentsPerSecond() / ceiling.value().documentsPerSecond();
    ratios.add(ratio);
    double naiveRatio = worker.documentsPerSecond() / naiveDocumentsPerSecond;
    naiveRatios.add(naiveRatio);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("round", rounds.size() + 1);
    r.put("ceiling_documents_per_second", ceiling.value().documentsPerSecond());
    r.put("worker_documents_per_second", worker.documentsPerSecond());
    r.put("naive_documents_per_second", naiveDocumentsPerSecond);
    r.put("worker_over_ceiling", ratio);
    r.put("worker_over_naive", naiveRatio);
    r.put("ceiling_cpu_seconds", ceiling.accounted());
    r.put("worker_cpu_seconds", worker.run().accounted());
    r.put("load_average", loadAverage());
    roundFigures.add(r);
    rounds.add(
        String.format(
            "| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f |",
            rounds.size() + 1,
            ceiling.value().documentsPerSecond(),
            worker.documentsPerSecond(),
            naiveDocumentsPerSecond,
            ratio,
            naiveRatio,
            loadAverage()));
  }

  /** The summary of the rounds: ratios, CPU per document, batches, padding. */
  void summary(long tokensPerRound) {
    List<Double> sorted = ratios.stream().sorted().toList();
    figure("worker_over_ceiling_median", median(sorted));
    figure("worker_over_naive_median", median(naiveRatios.stream().sorted().toList()));
    line("**ratio worker / ceiling, median of the rounds**", "**%.2f**", median(sorted));
    line(
        "**ratio worker / naive Kafka Streams baseline, median of the rounds**",
        "**%.2f**",
        median(naiveRatios.stream().sorted().toList()));
    Measured<Void> c = Measured.sum(ceilings);
    Measured<Void> w = Measured.sum(workers.stream().map(WorkerRun.Timed::run).toList());
    double ceilingCpuPerRound = c.accounted() / ceilings.size();
    double workerCpuPerRound = w.accounted() / workers.size();
    line(
        "CPU per round: ceiling / worker (all threads of benchmark, broker, registry)",
        "%.1f / %.1f CPU-s: the worker needs %.2f times the ceiling's CPU",
        ceilingCpuPerRound,
        workerCpuPerRound,
        workerCpuPerRound / ceilingCpuPerRound);
    BatchSizes batches = workers.get(0).batches();
    for (int i = 1; i < workers.size(); i++) {
      batches = batches.plus(workers.get(i).batches());
    }
    figure("ceiling_cpu_seconds_per_round", ceilingCpuPerRound);
    figure("worker_cpu_seconds_per_round", workerCpuPerRound);
    figure("worker_mean_batch_chunks", (double) batches.chunks() / Math.max(1, batches.batches()));
    figure("worker_padding_waste", 1.0 - tokensPerRound * workers.size() / batches.paddedTokens());
    line(
        "worker's encoder batches, all rounds (size: count)",
        "%s (mean %.1f chunks)",
        batches.histogram(),
        (double) batches.chunks() / Math.max(1, batches.batches()));
    line(
        "padding waste: ceiling / worker",
        "%.1f %% / %.1f %%",
        100 * ceilings.get(0).value().paddingWaste(),
        100 * (1.0 - tokensPerRound * workers.size() / batches.paddedTokens()));
    line(
        "worker's first poll after the preload's commit (median)",
        "%.0f ms",
        median(workers.stream().map(WorkerRun.Timed::firstPollMs).sorted().toList()));
    cpu.put("the ceiling rounds", c);
    cpu.put("the worker rounds", w);
  }

  void latency(double rate, int documents, Histogram latency) {
    Map<String, Object> open = new LinkedHashMap<>();
    open.put("documents_per_second", rate);
    open.put("documents", documents);
    open.put("p50_ms", latency.getValueAtPercentile(50));
    open.put("p99_ms", latency.getValueAtPercentile(99));
    open.put("p999_ms", latency.getValueAtPercentile(99.9));
    open.put("max_ms", latency.getMaxValue());
    figure("open_loop", open);
    line(
        "open loop at %.2f documents/s (%d documents): p50 / p99 end to end"
            .formatted(rate, documents),
        "%d ms / %d ms",
        latency.getValueAtPercentile(50),
        latency.getValueAtPercentile(99));
  }

  /**
   * The run as one JSON-ready map: {@code setup} (what was measured, where, with what), every
   * round, and the figures.
   */
  public Map<String, Object> json(Map<String, Object> setup) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("setup", setup);
    m.put("rounds", roundFigures);
    m.putAll(figures);
    m.put("load_average_start", loadAtStart);
    m.put("load_average_end", loadAverage());
    return m;
  }

  public void print() {
    line("load average (1 min) at start / end", "%.1f / %.1f", loadAtStart, loadAverage());
    System.out.println();
    System.out.println(
        "| round | ceiling documents/s | worker documents/s | naive baseline documents/s |"
            + " worker / ceiling | worker / naive | load |");
    System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    rounds.forEach(System.out::println);
    System.out.println();
    System.out.println("| measure | value |");
    System.out.println("| --- | --- |");
    lines.forEach(System.out::println);
    cpu.forEach(this::printCpu);
  }

  private void printCpu(String title, Measured<?> phase) {
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        "%nCPU in %s: %.1f s wall x %d cores; machine busy %.1f CPU-s, these processes %.1f%n%n",
        title, phase.wallSeconds(), cores, phase.machineBusy(), phase.accounted());
    System.out.println("| process: threads | CPU-s | share of wall x cores |");
    System.out.println("| --- | ---: | ---: |");
    phase.cpu().entrySet().stream()
        .sorted(
            Comparator.comparing((Map.Entry<String, Double> e) -> e.getKey().startsWith(OTHER))
                .thenComparing(Map.Entry.comparingByValue(Comparator.reverseOrder())))
        .forEach(
            e ->
                System.out.printf(
                    "| %s | %.1f | %.0f %% |%n",
                    e.getKey(), e.getValue(), 100 * e.getValue() / (phase.wallSeconds() * cores)));
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
