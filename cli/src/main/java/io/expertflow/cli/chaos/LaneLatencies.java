package io.expertflow.cli.chaos;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Latency of each request from its send to its first committed outcome (as a {@code read_committed}
 * reader sees it), per priority lane of a run with bursts: the high-priority and the low-priority
 * requests sent in bursts, and the steady requests sent outside them. Percentiles from an
 * HdrHistogram (3 significant digits, microseconds, up to an hour).
 *
 * <p>Not thread-safe: filled and read by one thread after the run.
 */
final class LaneLatencies {

  /** The lanes of a run. */
  enum Lane {
    HIGH("high (priority 9, bursts)"),
    LOW("low (priority 0, bursts)"),
    STEADY("steady (priority 0)");

    private final String label;

    Lane(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }

    /** The lane of a submitted request. */
    static Lane of(OpenLoopLoad.Submitted s) {
      if (!s.burst()) {
        return STEADY;
      }
      return s.priority() == OpenLoopLoad.HIGH_PRIORITY ? HIGH : LOW;
    }
  }

  /**
   * Percentiles of one lane, in milliseconds; {@code unanswered} had no outcome; {@code expired}
   * were answered EXPIRED, {@code deadLettered} got a dead letter (among them those whose deadline
   * had passed at intake).
   */
  record Summary(
      long count,
      long unanswered,
      long expired,
      long deadLettered,
      long p50Ms,
      long p99Ms,
      long maxMs) {}

  private static final long HOUR_MICROS = Duration.ofHours(1).toNanos() / 1_000;

  private final Map<Lane, Histogram> lanes = new EnumMap<>(Lane.class);
  private final Map<Lane, Long> unanswered = new EnumMap<>(Lane.class);
  private final Map<Lane, Long> expired = new EnumMap<>(Lane.class);
  private final Map<Lane, Long> deadLettered = new EnumMap<>(Lane.class);
  private final Histogram all = histogram();

  /** A request of {@code lane} answered {@code latencyNanos} after it was sent. */
  /** Each sent request's latency to its first committed outcome, by lane. */
  static LaneLatencies of(
      List<OpenLoopLoad.Submitted> sent, OutcomeWatch watch, OutcomeLedger ledger) {
    LaneLatencies latencies = new LaneLatencies();
    for (OpenLoopLoad.Submitted s : sent) {
      Long seen = watch.firstSeenNanos(s.requestId());
      Lane lane = Lane.of(s);
      latencies.outcome(lane, ledger.expired(s.requestId()), ledger.deadLettered(s.requestId()));
      if (seen == null) {
        latencies.unanswered(lane);
      } else {
        latencies.answered(lane, seen - s.sentNanos());
      }
    }
    return latencies;
  }

  void answered(Lane lane, long latencyNanos) {
    long micros = Math.min(HOUR_MICROS, Math.max(0, latencyNanos / 1_000));
    lanes.computeIfAbsent(lane, l -> histogram()).recordValue(micros);
    all.recordValue(micros);
  }

  /** A request of {@code lane} that has no outcome. */
  void unanswered(Lane lane) {
    unanswered.merge(lane, 1L, Long::sum);
  }

  /** What the outcome of a request of {@code lane} was, as the ledger read it. */
  void outcome(Lane lane, boolean wasExpired, boolean wasDeadLettered) {
    if (wasExpired) {
      expired.merge(lane, 1L, Long::sum);
    }
    if (wasDeadLettered) {
      deadLettered.merge(lane, 1L, Long::sum);
    }
  }

  /** The summary of {@code lane}. */
  Summary of(Lane lane) {
    return summary(
        lanes.getOrDefault(lane, histogram()),
        unanswered.getOrDefault(lane, 0L),
        expired.getOrDefault(lane, 0L),
        deadLettered.getOrDefault(lane, 0L));
  }

  /** The summary of every lane together. */
  Summary overall() {
    return summary(all, sum(unanswered), sum(expired), sum(deadLettered));
  }

  private static long sum(Map<Lane, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Prints a row per lane and one for all, and whether the high lane's p99 kept {@code bound}. */
  void print(Duration bound, PrintWriter out) {
    out.println(
        "latency per lane, send -> first committed outcome (ms); expired: answered EXPIRED;"
            + " dead-let: dead-lettered");
    out.printf(
        Locale.ROOT,
        "  %-28s %8s %10s %8s %8s %8s %8s %8s%n",
        "lane",
        "answered",
        "unanswered",
        "expired",
        "dead-let",
        "p50",
        "p99",
        "max");
    for (Lane lane : Lane.values()) {
      row(lane.label(), of(lane), out);
    }
    row("all", overall(), out);
    Summary high = of(Lane.HIGH);
    if (high.count() > 0) {
      out.printf(
          Locale.ROOT,
          "high-priority p99 %d ms, bound %d ms: %s%n",
          high.p99Ms(),
          bound.toMillis(),
          withinBound(bound) ? "held" : "EXCEEDED");
    }
  }

  /** Whether the high lane's p99 is at most {@code bound} (true when it has no request). */
  boolean withinBound(Duration bound) {
    return of(Lane.HIGH).p99Ms() <= bound.toMillis();
  }

  private static void row(String name, Summary s, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "  %-28s %8d %10d %8d %8d %8d %8d %8d%n",
        name,
        s.count(),
        s.unanswered(),
        s.expired(),
        s.deadLettered(),
        s.p50Ms(),
        s.p99Ms(),
        s.maxMs());
  }

  private static Summary summary(Histogram h, long unanswered, long expired, long deadLettered) {
    if (h.getTotalCount() == 0) {
      return new Summary(0, unanswered, expired, deadLettered, 0, 0, 0);
    }
    return new Summary(
        h.getTotalCount(),
        unanswered,
        expired,
        deadLettered,
        h.getValueAtPercentile(50) / 1_000,
        h.getValueAtPercentile(99) / 1_000,
        h.getMaxValue() / 1_000);
  }

  private static Histogram histogram() {
    return new Histogram(HOUR_MICROS, 3);
  }
}
