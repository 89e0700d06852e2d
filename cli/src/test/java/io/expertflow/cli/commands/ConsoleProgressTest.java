package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
  private final AtomicLong now = new AtomicLong();
  private final StringWriter text = new StringWriter();
  private final ConsoleProgress progress = new ConsoleProgress(new PrintWriter(text), now::get);

  @Test
  void shouldSayTheRateAndTheTimeLeftOfAStage() {
    progress.stage("embedding");
    now.addAndGet(10_000_000_000L);
    progress.progress("embedding", 100, 1000);
    now.addAndGet(80_000_000_000L);
    progress.progress("embedding", 1000, 1000);

    assertThat(text.toString())
        .contains("embedding: 100/1000 (10%), 10.0/s, about 1m 30s left")
        .contains("embedding: 1000/1000 (100%), 11.1/s" + System.lineSeparator());
  }

  @Test
  void shouldPrintOneLinePerTenthFromTheFirstItemOn() {
    progress.stage("embedding");
    for (int i = 1; i <= 100; i++) {
      now.addAndGet(1_000_000_000L);
      progress.progress("embedding", i, 100);
    }

    assertThat(text.toString().lines().filter(l -> l.contains("embedding: "))).hasSize(11);
  }

  @Test
  void shouldSpeakAtLeastEveryThirtySecondsOfASlowStage() {
    progress.stage("embedding");
    for (int i = 1; i <= 120; i++) {
      now.addAndGet(10_000_000_000L); // 10 s an item: a tenth takes two minutes
      progress.progress("embedding", i, 1000);
    }

    assertThat(text.toString().lines().filter(l -> l.contains("embedding: ")))
        .hasSize(40) // the first item at 10 s, then one line every 30 s up to 1,180 s
        .contains("[1180.0s] embedding: 118/1000 (11%), 0.1/s, about 2h 27m left");
  }

  @Test
  void shouldWriteLongDurationsInHoursAndMinutes() {
    assertThat(ConsoleProgress.duration(42)).isEqualTo("42s");
    assertThat(ConsoleProgress.duration(3 * 3600 + 5 * 60 + 7)).isEqualTo("3h 5m");
  }
}
