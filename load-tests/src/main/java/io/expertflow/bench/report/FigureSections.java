package io.expertflow.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The report's figures, one method per section, each its chart, its table and the sentences that
 * read it; a figure the run lacks becomes a short "not measured in this run" note.
 */
final class FigureSections {
  private static final String OTHER = "other threads";
  private final BenchResult result;
  private final Prices prices;

  FigureSections(BenchResult result, Prices prices) {
    this.result = result;
    this.prices = prices;
  }

  static String notMeasured(String what) {
    return "<p class=\"not-measured\">" + Html.escape(what) + ": not measured in this run.</p>\n";
  }

  String throughput() {
    List<PhaseThroughput> phases = PhaseThroughput.of(result);
    if (phases.isEmpty()) {
      return notMeasured("Throughput");
    }
    BarChart chart =
        new BarChart(
            "Documents per second by phase: median of the rounds, each round a dot",
            "documents/s",
            phases.stream().map(p -> p.phase().title()).toList());
    chart.series(
        "median of the rounds",
        phases.stream().map(PhaseThroughput::median).toList(),
        phases.stream().map(PhaseThroughput::rounds).toList());
    StringBuilder html = new StringBuilder(chart.svg());
    html.append("<p class=\"ratios\">")
        .append(
            ratio(
                "worker / ceiling",
                result.workerOverCeilingMedian(),
                phases,
                PhaseThroughput.Phase.CEILING))
        .append("; ")
        .append(
            ratio(
                "worker / naive",
                result.workerOverNaiveMedian(),
                phases,
                PhaseThroughput.Phase.NAIVE))
        .append(" (medians of the rounds' ratios).</p>\n");
    if (result.pipelineDocumentsPerSecond().isEmpty()) {
      html.append(notMeasured("The whole pipeline (intake, worker and compliance)"));
    }
    List<List<String>> rows = new ArrayList<>();
    for (BenchResult.Round r : result.rounds()) {
      rows.add(
          List.of(
              Integer.toString(r.round()),
              Html.number(r.ceiling(), 2),
              Html.number(r.worker(), 2),
              Html.number(r.naive(), 2)));
    }
    html.append(
        Html.table(
            List.of("round", "ceiling documents/s", "worker documents/s", "naive documents/s"),
            rows));
    return html.toString();
  }

  private static String ratio(
      String name,
      OptionalDouble recorded,
      List<PhaseThroughput> phases,
      PhaseThroughput.Phase over) {
    double worker = median(phases, PhaseThroughput.Phase.WORKER);
    double other = median(phases, over);
    double value = recorded.orElse(worker / other);
    return Html.escape(name) + " <strong>" + Html.number(value, 2) + "</strong>";
  }

  private static double median(List<PhaseThroughput> phases, PhaseThroughput.Phase phase) {
    return phases.stream()
        .filter(p -> p.phase() == phase)
        .mapToDouble(PhaseThroughput::median)
        .findFirst()
        .orElse(Double.NaN);
  }

  String latency() {
    List<BenchResult.LatencyPoint> sweep = result.openLoopSweep();
    List<String> headers =
        List.of(
            "fraction of max",
            "target documents/s",
            "achieved documents/s",
            "documents",
            "p50 ms",
            "p99 ms",
            "p99.9 ms",
            "max ms",
            "lost");
    if (sweep.isEmpty()) {
      StringBuilder html = new StringBuilder(notMeasured("The sweep over arrival rates"));
      result
          .openLoop()
          .ifPresent(
              p ->
                  html.append("<p>One rate was measured:</p>\n")
                      .append(Html.table(headers, List.of(latencyRow(p)))));
      return html.toString();
    }
    return LatencyChart.svg(sweep)
        + Html.table(headers, sweep.stream().map(FigureSections::latencyRow).toList());
  }

  private static List<String> latencyRow(BenchResult.LatencyPoint p) {
    return List.of(
        Double.isFinite(p.fraction()) ? Html.number(100 * p.fraction(), 0) + " %" : "–",
        Html.number(p.targetDocumentsPerSecond(), 2),
        Html.number(p.achievedDocumentsPerSecond(), 2),
        Long.toString(p.documents()),
        Html.number(p.p50Ms(), 0),
        Html.number(p.p99Ms(), 0),
        Html.number(p.p999Ms(), 0),
        Html.number(p.maxMs(), 0),
        Long.toString(p.lost()));
  }

  String lengths() {
    List<BenchResult.LengthPoint> sweep = result.lengthSweep();
    if (sweep.isEmpty()) {
      return notMeasured("Documents of fixed lengths");
    }
    List<String> categories = sweep.stream().map(p -> lengthName(p.chunks())).toList();
    String documents =
        new BarChart("Documents per second by document length", "documents/s", categories)
            .series(
                "ceiling",
                sweep.stream().map(BenchResult.LengthPoint::ceilingDocumentsPerSecond).toList())
            .series(
                "worker",
                sweep.stream().map(BenchResult.LengthPoint::workerDocumentsPerSecond).toList())
            .svg();
    String chunks =
        new BarChart("Chunks per second by document length", "chunks/s", categories)
            .series(
                "ceiling",
                sweep.stream().map(BenchResult.LengthPoint::ceilingChunksPerSecond).toList())
            .series(
                "worker",
                sweep.stream().map(BenchResult.LengthPoint::workerChunksPerSecond).toList())
            .svg();
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < sweep.size(); i++) {
      BenchResult.LengthPoint p = sweep.get(i);
      rows.add(
          List.of(
              categories.get(i),
              Long.toString(p.documents()),
              Html.number(p.ceilingDocumentsPerSecond(), 2),
              Html.number(p.workerDocumentsPerSecond(), 2),
              Html.number(p.ceilingChunksPerSecond(), 1),
              Html.number(p.workerChunksPerSecond(), 1),
              Html.percent(p.paddingWaste())));
    }
    return documents
        + chunks
        + Html.table(
            List.of(
                "length",
                "documents",
                "ceiling documents/s",
                "worker documents/s",
                "ceiling chunks/s",
                "worker chunks/s",
                "padding waste"),
            rows);
  }

  private static String lengthName(String chunks) {
    return chunks.equals("1") ? "1 chunk" : chunks.matches("\\d+") ? chunks + " chunks" : chunks;
  }

  String batches() {
    StringBuilder html = new StringBuilder();
    Map<Integer, Long> histogram = result.workerBatchHistogram();
    if (histogram.isEmpty()) {
      html.append(notMeasured("The histogram of the worker's batch sizes"));
    } else {
      html.append(
          new BarChart(
                  "The worker's encoder batches by size",
                  "batches",
                  histogram.keySet().stream().map(String::valueOf).toList())
              .series("batches", histogram.values().stream().map(Long::doubleValue).toList())
              .format(v -> Html.number(v, 0))
              .svg());
      html.append("<p class=\"caption\">Batch size in chunks along the bottom.</p>\n");
    }
    result
        .workerMeanBatchChunks()
        .ifPresent(
            m ->
                html.append("<p>Mean batch: <strong>")
                    .append(Html.number(m, 1))
                    .append("</strong> chunks.</p>\n"));
    List<Map.Entry<String, Double>> waste = new ArrayList<>();
    result.ceilingPaddingWaste().ifPresent(w -> waste.add(Map.entry("ceiling", w)));
    result.workerPaddingWaste().ifPresent(w -> waste.add(Map.entry("worker", w)));
    if (waste.isEmpty()) {
      html.append(notMeasured("Padding waste"));
    } else {
      html.append(
          HorizontalBarChart.svg(
              "Padding waste: share of the encoder's tokens that are padding",
              "padding, % of the tokens encoded",
              waste,
              Html::percent));
      if (result.ceilingPaddingWaste().isEmpty()) {
        html.append(notMeasured("The ceiling's padding waste"));
      }
    }
    return html.toString();
  }

  String cpu() {
    Map<String, Double> cpu = result.cpuByComponent();
    if (cpu.isEmpty()) {
      StringBuilder html = new StringBuilder(notMeasured("CPU by component"));
      if (result.ceilingCpuSecondsPerRound().isPresent()
          && result.workerCpuSecondsPerRound().isPresent()) {
        html.append(
            HorizontalBarChart.svg(
                "CPU seconds per round, all threads of the three processes",
                "CPU seconds per round",
                List.of(
                    Map.entry("ceiling", result.ceilingCpuSecondsPerRound().getAsDouble()),
                    Map.entry("worker", result.workerCpuSecondsPerRound().getAsDouble())),
                v -> Html.number(v, 1)));
      }
      return html.toString();
    }
    List<Map.Entry<String, Double>> rows =
        cpu.entrySet().stream()
            .sorted(
                Comparator.comparing((Map.Entry<String, Double> e) -> e.getKey().startsWith(OTHER))
                    .thenComparing(Map.Entry.comparingByValue(Comparator.reverseOrder())))
            .toList();
    return HorizontalBarChart.svg(
        "CPU seconds by process and thread group", "CPU seconds", rows, v -> Html.number(v, 1));
  }

  String memory() {
    List<Map.Entry<String, Double>> rows = new ArrayList<>();
    result
        .workerHeapUsedMaxBytes()
        .ifPresent(b -> rows.add(Map.entry("heap used, maximum", b / (1 << 20))));
    result
        .workerRssMaxBytes()
        .ifPresent(b -> rows.add(Map.entry("resident set (RSS), maximum", b / (1 << 20))));
    if (rows.isEmpty()) {
      return notMeasured("The worker's memory");
    }
    StringBuilder html =
        new StringBuilder(
            HorizontalBarChart.svg("The worker's memory", "MiB", rows, v -> Html.number(v, 0)));
    if (result.workerRssMaxBytes().isEmpty()) {
      html.append(notMeasured("The worker's resident set (native memory)"));
    }
    return html.toString();
  }

  String cost() {
    List<CostPerMillion.Cost> costs = CostPerMillion.of(result, prices);
    if (costs.isEmpty()) {
      return notMeasured("Cost (the number of cores was not recorded)");
    }
    StringBuilder html =
        new StringBuilder(
            HorizontalBarChart.svg(
                "Cost per million documents, US dollars",
                "US dollars per million documents",
                costs.stream().map(c -> Map.entry(c.phase().title(), c.usd())).toList(),
                Html::usd));
    List<List<String>> rows =
        costs.stream()
            .map(
                c ->
                    List.of(
                        c.phase().title(),
                        Html.number(c.documentsPerSecond(), 2),
                        Html.usd(c.usd())))
            .toList();
    html.append(
        Html.table(List.of("phase", "documents/s (median)", "cost per million documents"), rows));
    boolean gpu = result.setup().onGpu();
    html.append(
            "<p>The whole machine billed for the time a million documents take at each phase's"
                + " median rate: ")
        .append(result.setup().cores().getAsInt())
        .append(" cores × ")
        .append(Html.usd(prices.cpuCoreHour()))
        .append(" a core-hour")
        .append(gpu ? " + one GPU × " + Html.usd(prices.gpuHour()) + " a GPU-hour" : "")
        .append(gpu ? "" : " (the device is not a GPU, so no GPU-hour is counted)")
        .append(
            ". Prices from <code>--price-cpu-core-hour</code> and <code>--price-gpu-hour</code>.</p>\n");
    return html.toString();
  }
}
