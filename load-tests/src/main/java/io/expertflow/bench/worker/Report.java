package io.expertflow.bench.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects the benchmark's figures and prints them as Markdown tables. Not thread-safe. */
final class Report {
  private final List<String> lines = new ArrayList<>();
  private final Map<String, Measured<?>> cpu = new LinkedHashMap<>();
  private final double[] loadAtStart = load();

  void line(String measure, String format, Object... args) {
    lines.add("| " + measure + " | " + String.format(format, args) + " |");
  }

  /** Keeps the CPU breakdown of a phase, printed after the figures. */
  void cpu(String title, Measured<?> phase) {
    cpu.put(title, phase);
  }

  void worker(EngineCeiling.Result before, EngineCeiling.Result after, WorkerRun.Result w) {
    double ceiling = before.documentsPerSecond();
    line(
        "ceiling (engine alone, best batch " + before.batch() + ")",
        "%.2f documents/s (padding waste %.1f %%)",
        ceiling,
        100 * before.paddingWaste());
    line(
        "worker through Kafka (exactly-once, preloaded, first poll to last commit)",
        "%.2f documents/s in %.1f s (padding waste %.1f %%; first poll %.0f ms after the commit)",
        w.documentsPerSecond(),
        w.seconds(),
        100 * w.paddingWaste(),
        w.firstPollMs());
    line("**ratio worker / ceiling**", "**%.2f**", w.documentsPerSecond() / ceiling);
    line(
        "ceiling again after the worker (machine drift)",
        "%.2f documents/s (ratio against it: %.2f)",
        after.documentsPerSecond(),
        w.documentsPerSecond() / after.documentsPerSecond());
    line(
        "encoder batches in the timed phase (size: count)",
        "%s (%d batches, %d chunks, mean %.1f)",
        w.batches().histogram(),
        w.batches().batches(),
        w.batches().chunks(),
        (double) w.batches().chunks() / Math.max(1, w.batches().batches()));
    line(
        "open loop at %.2f documents/s (%d documents): p50 / p99 end to end"
            .formatted(w.openLoopRate(), w.openLoopDocuments()),
        "%d ms / %d ms",
        w.latency().getValueAtPercentile(50),
        w.latency().getValueAtPercentile(99));
    line("lost / duplicate responses", "%d / %d", w.lost(), w.duplicates());
    cpu("worker through Kafka (timed phase)", w.cpu());
  }

  void print() {
    double[] end = load();
    line("load average (1 min) at start / end", "%.2f / %.2f", loadAtStart[0], end[0]);
    System.out.println();
    System.out.println("| measure | value |");
    System.out.println("| --- | --- |");
    lines.forEach(System.out::println);
    cpu.forEach(
        (title, phase) -> {
          System.out.println();
          System.out.printf(
              "CPU in %s: %.1f s wall; machine busy %.1f CPU-s (%.0f %% of %d cores),"
                  + " of which these processes %.1f CPU-s%n",
              title,
              phase.wallSeconds(),
              phase.machineBusy(),
              100 * phase.machineBusy() / (phase.wallSeconds() * cores()),
              cores(),
              phase.accounted());
          System.out.println();
          System.out.println("| process: threads | CPU-s | share of wall x cores |");
          System.out.println("| --- | ---: | ---: |");
          phase
              .cpu()
              .forEach(
                  (k, v) ->
                      System.out.printf(
                          "| %s | %.1f | %.0f %% |%n",
                          k, v, 100 * v / (phase.wallSeconds() * cores())));
        });
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  private static double[] load() {
    try {
      String[] f =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return new double[] {Double.parseDouble(f[0])};
    } catch (java.io.IOException | RuntimeException e) {
      return new double[] {Double.NaN};
    }
  }
}
