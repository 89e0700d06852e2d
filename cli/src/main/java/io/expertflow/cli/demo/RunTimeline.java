package io.expertflow.cli.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * What the run measured over time, for the report: every answer's latency at the moment it arrived,
 * the worker's mean batch size per progress interval, and when each phase ran. Times are seconds
 * since the run started. Not thread-safe: one thread (the demo's) records.
 */
public final class RunTimeline {
  /** A latency sample. */
  public record LatencyPoint(double seconds, long latencyMs, String phase) {}

  /** Mean batch size over the interval ending at {@code seconds}. */
  public record BatchPoint(double seconds, double meanBatchSize) {}

  /** A phase and when it ran. */
  public record PhaseSpan(String phase, double startSeconds, double endSeconds) {}

  private final long startNanos;
  private final List<LatencyPoint> latencies = new ArrayList<>();
  private final List<BatchPoint> batches = new ArrayList<>();
  private final List<PhaseSpan> phases = new ArrayList<>();

  public RunTimeline(long startNanos) {
    this.startNanos = startNanos;
  }

  public double secondsAt(long nanos) {
    return (nanos - startNanos) / 1e9;
  }

  public long startNanos() {
    return startNanos;
  }

  public void latency(long arrivedNanos, long latencyMs, String phase) {
    latencies.add(new LatencyPoint(secondsAt(arrivedNanos), latencyMs, phase));
  }

  public void batch(long nanos, double meanBatchSize) {
    batches.add(new BatchPoint(secondsAt(nanos), meanBatchSize));
  }

  public void phase(String phase, long startNanos, long endNanos) {
    phases.add(new PhaseSpan(phase, secondsAt(startNanos), secondsAt(endNanos)));
  }

  public List<LatencyPoint> latencies() {
    return List.copyOf(latencies);
  }

  public List<BatchPoint> batches() {
    return List.copyOf(batches);
  }

  public List<PhaseSpan> phases() {
    return List.copyOf(phases);
  }
}
