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
  private final List<Double> pipelines = new ArrayList<>();
  private final List<Measured<EngineCeiling.Result>> ceilings = new ArrayList<>();
  private final List<WorkerRun.Timed> workers = new ArrayList<>();
  private final Map<String, Measured<?>> cpu = new LinkedHashMap<>();
  private final double loadAtStart = loadAverage();
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final List<Map<String, Object>> roundFigures = new ArrayList<>();
  private final List<Map<String, Object>> openLoops = new ArrayList<>();
  private final List<Map<String, Object>> lengths = new ArrayList<>();

  private String provider;

  /** The execution provider the engine ran on ({@code cpu} or {@code cuda}). */
  void provider(String value) {
    this.provider = value;
  }

  public java.util.Optional<String> provider() {
    return java.util.Optional.ofNullable(provider);
  }

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
      double naiveDocumentsPerSecond,
      double pipelineDocumentsPerSecond) {
    pipelines.add(pipelineDocumentsPerSecond);
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
    r.put("pipeline_documents_per_second", pipelineDocumentsPerSecond);
    r.put("worker_over_ceiling", ratio);
    r.put("worker_over_naive", naiveRatio);
    r.put("ceiling_cpu_seconds", ceiling.accounted());
    r.put("worker_cpu_seconds", worker.run().accounted());
    r.put("load_average", loadAverage());
    roundFigures.add(r);
    rounds.add(
        String.format(
            "| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f |",
            rounds.size() + 1,
            ceiling.value().documentsPerSecond(),
            worker.documentsPerSecond(),
            naiveDocumentsPerSecond,
            pipelineDocumentsPerSecond,
            ratio,
            naiveRatio,
            loadAverage()));
  }

  /** The summary of the rounds: ratios, CPU per document, batches, padding. */
  void summary(long tokensPerRound) {
    List<Double> sorted = ratios.stream().sorted().toList();
    figure("worker_over_ceiling_median", median(sorted));
    figure("worker_over_naive_median", median(naiveRatios.stream().sorted().toList()));
    double pipeline = median(pipelines.stream().sorted().toList());
    figure("pipeline_documents_per_second", pipeline);
    line(
        "whole pipeline (intake, worker, compliance), median of the rounds",
        "%.2f documents/s",
        pipeline);
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
    figure("ceiling_padding_waste", ceilings.get(0).value().paddingWaste());
    figure("worker_batch_histogram", batches.counts());
    Map<String, Double> byComponent = new LinkedHashMap<>();
    w.cpu().entrySet().stream()
        .sorted(Map.Entry.comparingByValue(Comparator.reverseOrder()))
        .forEach(e -> byComponent.put(e.getKey(), e.getValue() / workers.size()));
    figure("cpu_by_component", byComponent);
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

  /**
   * The machine's measured matrix-product limit beside the engine's own rate of linear-layer work
   * (computed tokens, padding included, times MiniLM's multiply-accumulates per token).
   */
  void limit(GemmLimit.Result limit, double paddedTokensPerSecond) {
    double engineGops = paddedTokensPerSecond * 2 * GemmLimit.LINEAR_MACS_PER_TOKEN / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("shape", GemmLimit.M + "x" + GemmLimit.K + "x" + GemmLimit.N);
    m.put("threads", limit.threads());
    m.put("int8_gops", limit.int8Gops());
    m.put("fp32_gflops", limit.fp32Gflops());
    m.put("ceiling_linear_gops", engineGops);
    m.put("ceiling_over_int8_limit", engineGops / limit.int8Gops());
    figure("gemm_limit", m);
    line(
        "machine limit: ONNX Runtime MatMulInteger / MatMul at %dx%dx%d, %d thread(s)"
            .formatted(GemmLimit.M, GemmLimit.K, GemmLimit.N, limit.threads()),
        "%.0f GOP/s int8 / %.0f GFLOP/s fp32",
        limit.int8Gops(),
        limit.fp32Gflops());
    line(
        "ceiling's linear-layer work (computed tokens x 2 x %d MACs) against the int8 limit"
            .formatted(GemmLimit.LINEAR_MACS_PER_TOKEN),
        "%.0f GOP/s, %.0f %% of the limit",
        engineGops,
        100 * engineGops / limit.int8Gops());
  }

  /** One open-loop rate: latency percentiles from the intended send times. */
  void openLoop(double fraction, double target, OpenLoopFeed.Result open) {
    Histogram latency = open.latency();
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("fraction", fraction);
    point.put("target_documents_per_second", target);
    point.put("achieved_documents_per_second", open.offeredPerSecond());
    point.put("answered_documents_per_second", open.answeredPerSecond());
    point.put("documents", open.sent());
    point.put("p50_ms", latency.getValueAtPercentile(50));
    point.put("p99_ms", latency.getValueAtPercentile(99));
    point.put("p999_ms", latency.getValueAtPercentile(99.9));
    point.put("max_ms", latency.getMaxValue());
    point.put("lost", open.lost());
    openLoops.add(point);
    figure("open_loop_sweep", openLoops);
    if (Math.abs(fraction - 0.5) < 1e-9) {
      figure("open_loop", point); // the single open-loop figure of earlier result files
    }
    line(
        "open loop at %.0f %% of the worker's rate (%.2f documents/s offered, Poisson, %d documents):"
                .formatted(100 * fraction, open.offeredPerSecond(), open.sent())
            + " p50 / p99 / p99.9 from the intended send time",
        "%d / %d / %d ms",
        latency.getValueAtPercentile(50),
        latency.getValueAtPercentile(99),
        latency.getValueAtPercentile(99.9));
  }

  /** One document length: the engine alone and the worker on the same documents. */
  void length(
      String chunksPerDocument,
      int documents,
      long chunks,
      long tokens,
      EngineCeiling.Result ceiling,
      WorkerRun.Timed worker) {
    Map<String, Object> point = new LinkedHashMap<>();
    Object key =
        chunksPerDocument.chars().allMatch(Character::isDigit)
            ? Integer.parseInt(chunksPerDocument)
            : chunksPerDocument;
    double perDocument = (double) chunks / documents;
    point.put("chunks", key);
    point.put("documents", documents);
    point.put("ceiling_documents_per_second", ceiling.documentsPerSecond());
    point.put("worker_documents_per_second", worker.documentsPerSecond());
    point.put("ceiling_chunks_per_second", ceiling.documentsPerSecond() * perDocument);
    point.put("worker_chunks_per_second", worker.documentsPerSecond() * perDocument);
    point.put("padding_waste", ceiling.paddingWaste());
    point.put(
        "worker_padding_waste",
        worker.batches().paddedTokens() > 0
            ? 1.0 - tokens / worker.batches().paddedTokens()
            : Double.NaN);
    point.put("worker_over_ceiling", worker.documentsPerSecond() / ceiling.documentsPerSecond());
    point.put("lost", worker.lost());
    lengths.add(point);
    figure("length_sweep", lengths);
    line(
        "documents of " + chunksPerDocument + " chunk(s) (" + documents + "): ceiling / worker",
        "%.1f / %.1f documents/s, %.0f / %.0f chunks/s, worker / ceiling %.2f",
        ceiling.documentsPerSecond(),
        worker.documentsPerSecond(),
        ceiling.documentsPerSecond() * perDocument,
        worker.documentsPerSecond() * perDocument,
        worker.documentsPerSecond() / ceiling.documentsPerSecond());
  }

  /** The benchmark JVM's memory while the worker ran in it. */
  void workerMemory(MemorySampler memory) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("heap_used_max_bytes", memory.heapUsedMaxBytes());
    m.put("heap_max_bytes", memory.heapMaxBytes());
    m.put("rss_max_bytes", MemorySampler.residentPeakBytes());
    m.put(
        "note",
        "the benchmark JVM, which hosts the worker and the engine-alone sessions; broker and"
            + " registry run in their own processes");
    figure("worker_memory", m);
    line(
        "benchmark JVM hosting the worker: heap in use at most / peak resident set",
        "%.0f MB / %.0f MB",
        memory.heapUsedMaxBytes() / 1e6,
        MemorySampler.residentPeakBytes() / 1e6);
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
            + " whole pipeline documents/s | worker / ceiling | worker / naive | load |");
    System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
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
