package io.expertflow.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The report's figures of speed: throughput by phase, latency against rate, and documents of
 * different lengths; each its chart, its table and the sentences that read it, or a "not measured
 * in this run" note when the run lacks it.
 */
final class SpeedFigures {
  private final BenchResult result;

  SpeedFigures(BenchResult result) {
    this.result = result;
  }

  String throughput() {
    List<PhaseThroughput> phases = PhaseThroughput.of(result);
    if (phases.isEmpty()) {
      return Html.notMeasured("Throughput");
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
      html.append(Html.notMeasured("The whole pipeline (intake, worker and compliance)"));
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
      StringBuilder html = new StringBuilder(Html.notMeasured("The sweep over arrival rates"));
      result
          .openLoop()
          .ifPresent(
              p ->
                  html.append("<p>One rate was measured:</p>\n")
                      .append(Html.table(headers, List.of(latencyRow(p)))));
      return html.toString();
    }
    return LatencyChart.svg(sweep)
        + Html.table(headers, sweep.stream().map(SpeedFigures::latencyRow).toList());
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
      return Html.notMeasured("Documents of fixed lengths");
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
}
