package io.expertflow.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What a million documents cost in each phase: the machine is held for the time the phase needs for
 * them, all its cores (and its GPU when the device is one) billed by the hour. Cost = (cores × wall
 * hours × core price + wall hours × GPU price on a GPU) / documents × 10⁶, with wall time =
 * documents / the phase's median documents per second.
 */
public final class CostPerMillion {
  /** The key of the costs in {@code bench.json}. */
  public static final String KEY = "cost_per_million_documents";

  private CostPerMillion() {}

  /** The cost of a million documents in one phase, in US dollars. */
  public record Cost(PhaseThroughput.Phase phase, double documentsPerSecond, double usd) {}

  /** One cost per phase measured; none when the number of cores was not recorded. */
  public static List<Cost> of(BenchResult result, Prices prices) {
    OptionalInt cores = result.setup().cores();
    if (cores.isEmpty()) {
      return List.of();
    }
    double perHour =
        cores.getAsInt() * prices.cpuCoreHour() + (result.setup().onGpu() ? prices.gpuHour() : 0);
    List<Cost> costs = new ArrayList<>();
    for (PhaseThroughput t : PhaseThroughput.of(result)) {
      if (t.median() > 0) {
        double hoursPerMillion = 1e6 / t.median() / 3600;
        costs.add(new Cost(t.phase(), t.median(), perHour * hoursPerMillion));
      }
    }
    return costs;
  }

  /** The costs and what they were computed from, for {@code bench.json} under {@link #KEY}. */
  public static Map<String, Object> json(BenchResult result, Prices prices) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("currency", "USD");
    json.put("price_cpu_core_hour", prices.cpuCoreHour());
    json.put("price_gpu_hour", prices.gpuHour());
    result.setup().cores().ifPresent(c -> json.put("cores", c));
    json.put("gpu", result.setup().onGpu());
    for (Cost c : of(result, prices)) {
      json.put(c.phase().key(), c.usd());
    }
    return json;
  }
}
