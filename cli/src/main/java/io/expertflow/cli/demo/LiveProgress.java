package io.expertflow.cli.demo;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The live progress line of a phase: a bar, answered documents per second, the worker's batch fill
 * (mean encoder batch size in the phase, of the largest batch allowed) and the phase's p99 latency
 * so far. Each tick also records the interval's batch fill in the {@link RunTimeline}. Used by the
 * demo's thread only.
 */
final class LiveProgress {
  private static final int WIDTH = 30;
  private static final int LINE_SECONDS = 5;

  private final PrintWriter out;
  private final MeterRegistry meters;
  private final RunTimeline timeline;
  private final int maxBatchSize;
  private final boolean terminal = System.console() != null;
  private long lastCount;
  private double lastTotal;
  private long phaseCount;
  private double phaseTotal;
  private long lastLine;

  LiveProgress(PrintWriter out, MeterRegistry meters, RunTimeline timeline, int maxBatchSize) {
    this.out = out;
    this.meters = meters;
    this.timeline = timeline;
    this.maxBatchSize = maxBatchSize;
  }

  /** Starts a phase: its batch fill counts from here. */
  void begin() {
    DistributionSummary s = batchSizes();
    phaseCount = s == null ? 0 : s.count();
    phaseTotal = s == null ? 0 : s.totalAmount();
  }

  /**
   * Records the interval's batch fill and prints the line: in place on a terminal, else (a log, a
   * pipe) a full line every {@value #LINE_SECONDS} seconds and at the end ({@code last}).
   */
  void tick(String phase, int done, int total, long phaseStartNanos, long p99Ms, boolean last) {
    long now = System.nanoTime();
    double interval = intervalBatchMean();
    if (interval > 0) {
      timeline.batch(now, interval);
    }
    if (!terminal && !last && now - lastLine < LINE_SECONDS * 1_000_000_000L) {
      return;
    }
    lastLine = now;
    double fill = phaseBatchMean();
    int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
    double secs = Math.max((now - phaseStartNanos) / 1e9, 1e-9);
    out.printf(
        Locale.ROOT,
        (terminal ? "\r" : "") + "%-8s [%s%s] %d/%d  %.1f docs/s  batch fill %.1f/%d  p99 %d ms   ",
        phase,
        "#".repeat(filled),
        " ".repeat(WIDTH - filled),
        done,
        total,
        done / secs,
        fill,
        maxBatchSize,
        p99Ms);
    if (!terminal) {
      out.println();
    }
    out.flush();
  }

  void end() {
    if (terminal) {
      out.println();
    }
    out.flush();
  }

  private DistributionSummary batchSizes() {
    return meters.find("expertflow.worker.batch.size").summary();
  }

  /** Mean size of the batches completed since the phase began, 0 if none. */
  private double phaseBatchMean() {
    DistributionSummary s = batchSizes();
    if (s == null || s.count() == phaseCount) {
      return 0;
    }
    return (s.totalAmount() - phaseTotal) / (s.count() - phaseCount);
  }

  /** Mean size of the batches completed since the previous call, 0 if none. */
  private double intervalBatchMean() {
    DistributionSummary s = batchSizes();
    if (s == null) {
      return 0;
    }
    long count = s.count();
    double total = s.totalAmount();
    double mean = count > lastCount ? (total - lastTotal) / (count - lastCount) : 0;
    lastCount = count;
    lastTotal = total;
    return mean;
  }
}
