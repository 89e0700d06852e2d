package io.expertflow.cli.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The simulated week in event time: the feedback of a week that ended long enough ago that an event
 * just after its end plus grace is still in the past (a broker refuses record timestamps more than
 * an hour ahead of its clock). Windows are aligned to the epoch, as Kafka Streams aligns tumbling
 * windows.
 *
 * @param start the window's start (inclusive)
 * @param size the window's length
 * @param grace how long after the end late feedback still counts
 */
public record FeedbackWeek(Instant start, Duration size, Duration grace) {
  /** How far after end + grace the event that closes the window lies. */
  public static final Duration CLOSING_MARGIN = Duration.ofMinutes(1);

  public FeedbackWeek {
    Objects.requireNonNull(start, "start");
    if (size.isNegative() || size.isZero() || grace.isNegative()) {
      throw new IllegalArgumentException(
          "window size must be > 0 and grace >= 0, were " + size + " and " + grace);
    }
  }

  /** The latest window whose closing event lies at least an hour before {@code now}. */
  public static FeedbackWeek before(Instant now, Duration size, Duration grace) {
    long latestStart =
        now.minus(size)
            .minus(grace)
            .minus(CLOSING_MARGIN)
            .minus(Duration.ofHours(1))
            .toEpochMilli();
    long sizeMs = size.toMillis();
    long start = Math.floorDiv(latestStart, sizeMs) * sizeMs;
    return new FeedbackWeek(Instant.ofEpochMilli(start), size, grace);
  }

  public Instant end() {
    return start.plus(size);
  }

  /** Event time of the {@code i}-th of {@code n} feedback events, spread over the window. */
  public Instant eventTime(int i, int n) {
    if (i < 0 || i >= n) {
      throw new IllegalArgumentException("event " + i + " of " + n + " is out of range");
    }
    return start.plusMillis(size.toMillis() / n * i);
  }

  /** Event time of feedback that moves stream time past end + grace, so the window closes. */
  public Instant closingTime() {
    return end().plus(grace).plus(CLOSING_MARGIN);
  }
}
