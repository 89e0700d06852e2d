package io.expertflow.streams.stats;

import java.time.Duration;
import java.util.Objects;

/**
 * Window settings of the expert statistics. Immutable; validated on construction.
 *
 * @param windowSize length of each tumbling window (event time)
 * @param grace how long after a window's end late feedback is still counted; the window's
 *     statistics are emitted once stream time passes end + grace
 */
public record StatsConfig(Duration windowSize, Duration grace) {
  public static final Duration DEFAULT_WINDOW_SIZE = Duration.ofDays(7);
  public static final Duration DEFAULT_GRACE = Duration.ofHours(24);

  public StatsConfig {
    Objects.requireNonNull(windowSize, "windowSize");
    Objects.requireNonNull(grace, "grace");
    if (windowSize.isNegative() || windowSize.isZero()) {
      throw new IllegalArgumentException("stats window size must be > 0, was " + windowSize);
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("stats grace must be >= 0, was " + grace);
    }
  }

  public static StatsConfig defaults() {
    return new StatsConfig(DEFAULT_WINDOW_SIZE, DEFAULT_GRACE);
  }
}
