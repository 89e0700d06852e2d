package io.expertflow.cli.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When each request of an open-loop load is due: the steady base stream (request {@code i} at
 * {@code i / rate} seconds) and, while a burst lasts, an extra stream at {@code (factor - 1) x
 * rate}, so the sender sends at {@code factor x rate} in all. Every request due inside a burst
 * window (base or extra) is a burst request and takes a priority: {@link #isHigh} spreads the high
 * share evenly over them. Times are nanoseconds from the start of the load; nothing reads a clock.
 *
 * <p>Thread-safe: the sender takes {@link #next}, the fault thread adds bursts.
 */
final class LoadShape {

  /** A request due at {@code atNanos}; {@code burst} when due inside a burst window. */
  record Due(long atNanos, boolean burst) {}

  private record Window(long from, long to, double extraRate) {
    boolean covers(long t) {
      return t >= from && t < to;
    }
  }

  private final double rate;
  private final long requests;
  private final List<Window> windows = new ArrayList<>();
  private long nextBase;
  private int window;
  private long nextExtra;
  private long extraScheduled;

  LoadShape(double rate, long requests) {
    if (rate <= 0 || requests < 0) {
      throw new IllegalArgumentException(
          "rate must be positive and requests 0 or more, got " + rate + " and " + requests);
    }
    this.rate = rate;
    this.requests = requests;
  }

  /**
   * A burst from {@code fromNanos} for {@code lengthNanos}: the load runs at {@code factor} times
   * its rate meanwhile. Bursts must not overlap and come in time order.
   *
   * @return false when the base stream is over (no burst is added then)
   */
  synchronized boolean burst(long fromNanos, long lengthNanos, double factor) {
    if (factor < 1 || lengthNanos <= 0) {
      throw new IllegalArgumentException(
          "a burst needs a factor of 1 or more and a positive length, got "
              + factor
              + " and "
              + lengthNanos
              + " ns");
    }
    if (nextBase >= requests) {
      return false;
    }
    long from = windows.isEmpty() ? fromNanos : Math.max(fromNanos, last().to);
    windows.add(new Window(from, from + lengthNanos, (factor - 1) * rate));
    return true;
  }

  /** The next request due, or empty once the base stream and every burst are over. */
  synchronized Optional<Due> next() {
    long base = nextBase < requests ? (long) (nextBase * 1e9 / rate) : Long.MAX_VALUE;
    long extra = nextExtraDue();
    if (base == Long.MAX_VALUE && extra == Long.MAX_VALUE) {
      return Optional.empty();
    }
    if (extra < base) {
      nextExtra++;
      extraScheduled++;
      return Optional.of(new Due(extra, true));
    }
    nextBase++;
    return Optional.of(new Due(base, windows.stream().anyMatch(w -> w.covers(base))));
  }

  /** Due time of the current window's next extra request, moving past finished windows. */
  private long nextExtraDue() {
    while (window < windows.size()) {
      Window w = windows.get(window);
      long due = w.from + (long) (nextExtra * 1e9 / w.extraRate);
      if (w.extraRate > 0 && due < w.to) {
        return due;
      }
      window++;
      nextExtra = 0;
    }
    return Long.MAX_VALUE;
  }

  private Window last() {
    return windows.get(windows.size() - 1);
  }

  /** Extra requests handed out so far (beyond the base stream). */
  synchronized long extraScheduled() {
    return extraScheduled;
  }

  /**
   * Whether the {@code k}th burst request (from 0) is a high-priority one: exactly {@code floor(n x
   * share)} of the first {@code n} are, spread evenly.
   */
  static boolean isHigh(long k, double share) {
    return Math.floor((k + 1) * share) > Math.floor(k * share);
  }
}
