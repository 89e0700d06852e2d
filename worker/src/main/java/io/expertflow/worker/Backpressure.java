package io.expertflow.worker;

/**
 * Whether the worker should stop fetching because too much work is in flight. Fetching pauses when
 * in-flight documents reach {@code maxInFlight} and resumes once they fall to half of it, so the
 * worker does not flap between the two around the bound. Each change is reported to the {@link
 * WorkerListener}.
 *
 * <p>Not thread-safe: called only on the worker's poll thread.
 */
final class Backpressure {
  private final int maxInFlight;
  private final WorkerListener listener;
  private boolean paused;

  Backpressure(int maxInFlight, WorkerListener listener) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException(
          "max in-flight documents must be at least 1, was " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
    this.listener = listener;
  }

  /**
   * Updates the state for the documents in flight now.
   *
   * @return true while fetching should stay paused
   */
  boolean update(int inFlight) {
    if (!paused && inFlight >= maxInFlight) {
      paused = true;
      listener.paused(inFlight);
    } else if (paused && inFlight <= maxInFlight / 2) {
      paused = false;
      listener.resumed(inFlight);
    }
    return paused;
  }
}
