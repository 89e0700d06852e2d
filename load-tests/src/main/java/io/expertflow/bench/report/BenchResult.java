package io.expertflow.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@code bench.json} read back, the one place that knows its keys. Figures that a run may lack
 * (older files predate the sweeps, the pipeline phase and the memory probe) come back empty, never
 * as an error; a number that is absent or not a number reads as absent.
 */
public final class BenchResult {
  private final JsonNode root;

  private BenchResult(JsonNode root) {
    this.root = root;
  }

  public static BenchResult of(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "a bench result is a JSON object with 'setup' and 'rounds', not " + root);
    }
    return new BenchResult(root);
  }

  /** The result as {@code Report.json(setup)} builds it, before it is written. */
  public static BenchResult of(Map<String, Object> json) {
    JsonNode tree = new ObjectMapper().valueToTree(json);
    return of(tree);
  }

  public static BenchResult read(Path file) throws IOException {
    return of(new ObjectMapper().readTree(file.toFile()));
  }

  public BenchSetup setup() {
    return new BenchSetup(
        root.path("setup"), number(root, "load_average_start"), number(root, "load_average_end"));
  }

  /** One round of the three phases back to back; NaN where a phase is missing. */
  public record Round(int round, double ceiling, double worker, double naive) {}

  public List<Round> rounds() {
    List<Round> rounds = new ArrayList<>();
    for (JsonNode r : root.path("rounds")) {
      rounds.add(
          new Round(
              r.path("round").asInt(rounds.size() + 1),
              number(r, "ceiling_documents_per_second").orElse(Double.NaN),
              number(r, "worker_documents_per_second").orElse(Double.NaN),
              number(r, "naive_documents_per_second").orElse(Double.NaN)));
    }
    return rounds;
  }

  public OptionalDouble pipelineDocumentsPerSecond() {
    return number(root, "pipeline_documents_per_second");
  }

  public OptionalDouble workerOverCeilingMedian() {
    return number(root, "worker_over_ceiling_median");
  }

  public OptionalDouble workerOverNaiveMedian() {
    return number(root, "worker_over_naive_median");
  }

  /** One rate of the open-loop feed; {@code fraction} is of the worker's maximum rate. */
  public record LatencyPoint(
      double fraction,
      double targetDocumentsPerSecond,
      double achievedDocumentsPerSecond,
      long documents,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      double maxMs,
      long lost) {}

  /**
   * The open-loop sweep over arrival rates, by rising achieved rate (points without one left out);
   * empty when not measured.
   */
  public List<LatencyPoint> openLoopSweep() {
    List<LatencyPoint> points = new ArrayList<>();
    for (JsonNode p : root.path("open_loop_sweep")) {
      points.add(
          new LatencyPoint(
              number(p, "fraction").orElse(Double.NaN),
              number(p, "target_documents_per_second").orElse(Double.NaN),
              number(p, "achieved_documents_per_second").orElse(Double.NaN),
              p.path("documents").asLong(),
              number(p, "p50_ms").orElse(Double.NaN),
              number(p, "p99_ms").orElse(Double.NaN),
              number(p, "p999_ms").orElse(Double.NaN),
              number(p, "max_ms").orElse(Double.NaN),
              p.path("lost").asLong()));
    }
    // a rate that was not reached has no place on the rate axis
    points.removeIf(p -> !Double.isFinite(p.achievedDocumentsPerSecond()));
    points.sort(Comparator.comparingDouble(LatencyPoint::achievedDocumentsPerSecond));
    return points;
  }

  /** The single open-loop rate of files without the sweep (fraction and target unknown). */
  public Optional<LatencyPoint> openLoop() {
    JsonNode p = root.path("open_loop");
    if (!p.isObject()) {
      return Optional.empty();
    }
    double rate = number(p, "documents_per_second").orElse(Double.NaN);
    return Optional.of(
        new LatencyPoint(
            Double.NaN,
            Double.NaN,
            rate,
            p.path("documents").asLong(),
            number(p, "p50_ms").orElse(Double.NaN),
            number(p, "p99_ms").orElse(Double.NaN),
            number(p, "p999_ms").orElse(Double.NaN),
            number(p, "max_ms").orElse(Double.NaN),
            root.path("lost").asLong()));
  }

  /** Documents of one length (chunks each; "mixed" for the corpus as it comes). */
  public record LengthPoint(
      String chunks,
      long documents,
      double ceilingDocumentsPerSecond,
      double workerDocumentsPerSecond,
      double ceilingChunksPerSecond,
      double workerChunksPerSecond,
      double paddingWaste) {}

  public List<LengthPoint> lengthSweep() {
    List<LengthPoint> points = new ArrayList<>();
    for (JsonNode p : root.path("length_sweep")) {
      points.add(
          new LengthPoint(
              p.path("chunks").asText(),
              p.path("documents").asLong(),
              number(p, "ceiling_documents_per_second").orElse(Double.NaN),
              number(p, "worker_documents_per_second").orElse(Double.NaN),
              number(p, "ceiling_chunks_per_second").orElse(Double.NaN),
              number(p, "worker_chunks_per_second").orElse(Double.NaN),
              number(p, "padding_waste").orElse(Double.NaN)));
    }
    return points;
  }

  /** The worker's encoder batches: size in chunks to count, by size; empty when not recorded. */
  public Map<Integer, Long> workerBatchHistogram() {
    Map<Integer, Long> histogram = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : fields(root.path("worker_batch_histogram"))) {
      try {
        histogram.put(Integer.parseInt(e.getKey().trim()), e.getValue().asLong());
      } catch (NumberFormatException notASize) {
        // a key that is not a batch size is not part of the histogram
      }
    }
    return histogram;
  }

  public OptionalDouble workerMeanBatchChunks() {
    return number(root, "worker_mean_batch_chunks");
  }

  public OptionalDouble workerPaddingWaste() {
    return number(root, "worker_padding_waste");
  }

  public OptionalDouble ceilingPaddingWaste() {
    return number(root, "ceiling_padding_waste");
  }

  /** CPU seconds by "process: threads", in the file's order; empty when not recorded. */
  public Map<String, Double> cpuByComponent() {
    Map<String, Double> cpu = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : fields(root.path("cpu_by_component"))) {
      if (e.getValue().isNumber()) {
        cpu.put(e.getKey(), e.getValue().asDouble());
      }
    }
    return cpu;
  }

  public OptionalDouble ceilingCpuSecondsPerRound() {
    return number(root, "ceiling_cpu_seconds_per_round");
  }

  public OptionalDouble workerCpuSecondsPerRound() {
    return number(root, "worker_cpu_seconds_per_round");
  }

  public OptionalDouble workerHeapUsedMaxBytes() {
    return number(root.path("worker_memory"), "heap_used_max_bytes");
  }

  public OptionalDouble workerRssMaxBytes() {
    return number(root.path("worker_memory"), "rss_max_bytes");
  }

  public OptionalDouble lost() {
    return number(root, "lost");
  }

  public OptionalDouble duplicates() {
    return number(root, "duplicates");
  }

  public OptionalDouble chunks() {
    return number(root, "chunks");
  }

  public OptionalDouble tokens() {
    return number(root, "tokens");
  }

  /** The prices a run was costed with, when it was ({@code cost_per_million_documents}). */
  public Optional<Prices> recordedPrices() {
    JsonNode cost = root.path(CostPerMillion.KEY);
    OptionalDouble core = number(cost, "price_cpu_core_hour");
    OptionalDouble gpu = number(cost, "price_gpu_hour");
    return core.isPresent() && gpu.isPresent()
        ? Optional.of(new Prices(core.getAsDouble(), gpu.getAsDouble()))
        : Optional.empty();
  }

  static OptionalDouble number(JsonNode node, String key) {
    JsonNode v = node.path(key);
    return v.isNumber() && Double.isFinite(v.asDouble())
        ? OptionalDouble.of(v.asDouble())
        : OptionalDouble.empty();
  }

  private static Set<Map.Entry<String, JsonNode>> fields(JsonNode node) {
    return node.isObject() ? node.properties() : Set.of();
  }
}
