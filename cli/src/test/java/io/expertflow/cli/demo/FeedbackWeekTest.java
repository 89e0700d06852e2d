package io.expertflow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FeedbackWeekTest {
  private static final Duration WEEK = Duration.ofDays(7);
  private static final Duration GRACE = Duration.ofDays(1);

  @Test
  void shouldCloseTheWindowWithAnEventThatIsStillInThePast() {
    Instant now = Instant.parse("2026-11-28T21:00:00Z");

    FeedbackWeek w = FeedbackWeek.before(now, WEEK, GRACE);

    assertThat(w.closingTime()).isAfter(w.end().plus(GRACE)).isBefore(now);
    assertThat(w.start().toEpochMilli() % WEEK.toMillis()).isZero();
  }

  @Test
  void shouldPutEveryFeedbackEventInsideTheWindow() {
    FeedbackWeek w = FeedbackWeek.before(Instant.parse("2026-01-05T00:00:00Z"), WEEK, GRACE);

    for (int i = 0; i < 40; i++) {
      assertThat(w.eventTime(i, 40)).isBetween(w.start(), w.end().minusMillis(1));
    }
  }

  @Test
  void shouldPickTheLatestWindowThatCanClose() {
    Instant now = Instant.parse("2026-11-28T21:00:00Z");

    FeedbackWeek w = FeedbackWeek.before(now, WEEK, GRACE);

    FeedbackWeek next = new FeedbackWeek(w.end(), WEEK, GRACE);
    assertThat(next.closingTime()).isAfter(now.minus(Duration.ofHours(1)));
  }
}
