package io.expertflow.operators.batching;

/**
 * A monotonic time source in nanoseconds, injected so that batching decisions can be tested with a
 * fake clock. Only differences between two readings are meaningful. Implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface Ticker {

  /** The current reading in nanoseconds. */
  long nanoTime();

  /** The system's monotonic clock ({@link System#nanoTime()}). */
  static Ticker system() {
    return System::nanoTime;
  }
}
