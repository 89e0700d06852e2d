package io.expertflow.operators.batching;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Test double: a ticker that moves only when a test advances it. */
final class FakeTicker implements Ticker {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Override
  public long nanoTime() {
    return now.get();
  }

  void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }
}
