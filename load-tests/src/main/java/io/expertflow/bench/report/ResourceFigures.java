package io.expertflow.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The report's figures of what the speed costs: batch sizes and padding, CPU by component, the
 * worker's memory and the price of a million documents; each its chart and the sentences that read
 * it, or a "not measured in this run" note when the run lacks it.
 */
final class ResourceFigures {
  private static final String OTHER = "other threads";
  private final BenchResult result;
  private final Prices prices;

  ResourceFigures(BenchResult result, Prices prices) {
    this.result = result;
    this.prices = prices;
  }

  String batches() {
    StringBuilder html = new StringBuilder();
    Map<Integer, Long> histogram = result.workerBatchHistogram();
    if (histogram.isEmpty()) {
      html.append(Html.notMeasured("The histogram of the worker's batch sizes"));
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
      html.append(Html.notMeasured("Padding waste"));
    } else {
      html.append(
          HorizontalBarChart.svg(
              "Padding waste: share of the encoder's tokens that are padding",
              "padding, % of the tokens encoded",
              waste,
              Html::percent));
      if (result.ceilingPaddingWaste().isEmpty()) {
        html.append(Html.notMeasured("The ceiling's padding waste"));
      }
    }
    return html.toString();
  }

  String cpu() {
    Map<String, Double> cpu = result.cpuByComponent();
    if (cpu.isEmpty()) {
      StringBuilder html = new StringBuilder(Html.notMeasured("CPU by component"));
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
      return Html.notMeasured("The worker's memory");
    }
    StringBuilder html =
        new StringBuilder(
            HorizontalBarChart.svg("The worker's memory", "MiB", rows, v -> Html.number(v, 0)));
    if (result.workerRssMaxBytes().isEmpty()) {
      html.append(Html.notMeasured("The worker's resident set (native memory)"));
    }
    return html.toString();
  }

  String cost() {
    List<CostPerMillion.Cost> costs = CostPerMillion.of(result, prices);
    if (costs.isEmpty()) {
      return Html.notMeasured("Cost (the number of cores was not recorded)");
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
