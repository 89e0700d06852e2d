package io.expertflow.cli.chaos;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Outcomes (responses and dead letters, as a {@code read_committed} reader sees them) per second of
 * a run, and what a fault did to them.
 *
 * <p>Recovery of a fault at second {@code f}: the pre-fault rate is the mean of the {@value
 * #BASELINE_SECONDS} seconds before {@code f}. If no second in the {@value #WINDOW_SECONDS} seconds
 * from {@code f} falls below {@value #RECOVERED_SHARE} of it, the fault made no dip and its
 * recovery is 0. Otherwise the recovery is the time from {@code f} to the start of the first second
 * after the dip began that is back at {@value #RECOVERED_SHARE} of the pre-fault rate; the dip is
 * the lowest second in between, as a share of that rate. One-second resolution.
 *
 * <p>Thread-safe: the reader thread counts, the run reads.
 */
public final class ThroughputTimeline {
  public static final int BASELINE_SECONDS = 10;
  public static final int WINDOW_SECONDS = 120;
  public static final double RECOVERED_SHARE = 0.8;

  private long[] perSecond = new long[64];

  /** What a fault did. {@code recoveredAfterS} is empty when the rate never came back. */
  public record Effect(double baseline, OptionalLong recoveredAfterS, double dip) {}

  /** An outcome seen {@code second} seconds after the start of the load. */
  public synchronized void count(int second) {
    if (second < 0) {
      return;
    }
    if (second >= perSecond.length) {
      perSecond = Arrays.copyOf(perSecond, Math.max(second + 1, perSecond.length * 2));
    }
    perSecond[second]++;
  }

  public synchronized long at(int second) {
    return second >= 0 && second < perSecond.length ? perSecond[second] : 0;
  }

  /** What a fault at {@code second} did, judged up to {@code lastSecond} (exclusive). */
  public synchronized Effect effect(int second, int lastSecond) {
    int from = Math.max(0, second - BASELINE_SECONDS);
    double baseline = 0;
    for (int s = from; s < second; s++) {
      baseline += at(s);
    }
    baseline = second > from ? baseline / (second - from) : 0;
    double bar = RECOVERED_SHARE * baseline;
    int end = Math.min(lastSecond, second + WINDOW_SECONDS);
    int dipStart = -1;
    for (int s = second; s < end; s++) {
      if (at(s) < bar) {
        dipStart = s;
        break;
      }
    }
    if (dipStart < 0 || baseline <= 0) {
      return new Effect(baseline, OptionalLong.of(0), 1.0);
    }
    long lowest = at(dipStart);
    for (int s = dipStart + 1; s < end; s++) {
      if (at(s) >= bar) {
        return new Effect(baseline, OptionalLong.of(s - second), lowest / baseline);
      }
      lowest = Math.min(lowest, at(s));
    }
    return new Effect(baseline, OptionalLong.empty(), lowest / baseline);
  }
}
