package io.expertflow.bench.worker;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.Set;
import java.util.TreeMap;

/**
 * The worker's encoder batches between two moments: how many of each size (from the {@code
 * expertflow.worker.batch.size} histogram) and the padded tokens they computed ({@code
 * expertflow.worker.batch.tokens}).
 *
 * @param countsUpTo cumulative batch counts per size bound (1, 2, 4, ..., 128)
 * @param batches batches run
 * @param chunks chunks in them
 * @param paddedTokens tokens computed, padding included
 */
record BatchSizes(
    TreeMap<Double, Double> countsUpTo, long batches, long chunks, double paddedTokens) {
  private static final Set<Double> BOUNDS = Set.of(1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0);

  static BatchSizes of(MeterRegistry meters) {
    DistributionSummary size = meters.get("expertflow.worker.batch.size").summary();
    TreeMap<Double, Double> counts = new TreeMap<>();
    for (CountAtBucket b : size.takeSnapshot().histogramCounts()) {
      if (BOUNDS.contains(b.bucket())) {
        counts.put(b.bucket(), b.count());
      }
    }
    double tokens = meters.get("expertflow.worker.batch.tokens").summary().totalAmount();
    return new BatchSizes(counts, size.count(), (long) size.totalAmount(), tokens);
  }

  /** What happened from {@code before} to this snapshot. */
  BatchSizes since(BatchSizes before) {
    TreeMap<Double, Double> counts = new TreeMap<>();
    countsUpTo.forEach((k, v) -> counts.put(k, v - before.countsUpTo.getOrDefault(k, 0.0)));
    return new BatchSizes(
        counts,
        batches - before.batches,
        chunks - before.chunks,
        paddedTokens - before.paddedTokens);
  }

  /** This and {@code other} together. */
  BatchSizes plus(BatchSizes other) {
    TreeMap<Double, Double> counts = new TreeMap<>(countsUpTo);
    other.countsUpTo.forEach((k, v) -> counts.merge(k, v, Double::sum));
    return new BatchSizes(
        counts, batches + other.batches, chunks + other.chunks, paddedTokens + other.paddedTokens);
  }

  /** E.g. {@code 1: 2; 2: 0; 3-4: 1; 5-8: 75} (empty ranges above the largest batch left out). */
  String histogram() {
    StringBuilder out = new StringBuilder();
    counts().forEach((range, n) -> out.append(out.isEmpty() ? "" : "; ").append(range + ": " + n));
    return out.toString();
  }

  /** Batches per size range, e.g. {@code 1 -> 2, 2 -> 0, 3-4 -> 1, 5-8 -> 75}, in order. */
  java.util.Map<String, Long> counts() {
    java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
    double below = 0;
    double countBelow = 0;
    for (var e : countsUpTo.entrySet()) {
      if (countBelow >= batches) {
        break;
      }
      long lo = (long) below + 1;
      long hi = e.getKey().longValue();
      out.put(lo == hi ? Long.toString(hi) : lo + "-" + hi, Math.round(e.getValue() - countBelow));
      below = e.getKey();
      countBelow = e.getValue();
    }
    return out;
  }
}
