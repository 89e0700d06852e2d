package io.expertflow.bench.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads a worker's progress from its own meters: request records polled ({@code
 * expertflow.worker.requests.in}) and outcomes committed (responses of every status plus dead
 * letters; the worker counts them once their transaction has committed). Watching the meters costs
 * the worker nothing, unlike a reader of the responses topic running beside it.
 *
 * <p>Called from one thread.
 */
final class WorkerProgress {
  private static final long PARK_NANOS = Duration.ofMillis(5).toNanos();
  private final MeterRegistry meters;

  WorkerProgress(MeterRegistry meters) {
    this.meters = meters;
  }

  long polled() {
    return (long) sum("expertflow.worker.requests.in");
  }

  long committed() {
    return (long) (sum("expertflow.worker.responses.out") + sum("expertflow.worker.dead_letters"));
  }

  /**
   * Waits until more than {@code before} records have been polled.
   *
   * @return {@link System#nanoTime()} when it saw them
   */
  long awaitPolledBeyond(long before, Duration timeout) throws TimeoutException {
    return await(() -> polled() > before, timeout, "the worker to poll the preloaded requests");
  }

  /**
   * Waits until at least {@code count} outcomes have been committed.
   *
   * @return {@link System#nanoTime()} when it saw them
   */
  long awaitCommitted(long count, Duration timeout) throws TimeoutException {
    return await(() -> committed() >= count, timeout, count + " committed outcomes");
  }

  private static long await(java.util.function.BooleanSupplier done, Duration timeout, String what)
      throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException("waited " + timeout.toSeconds() + " s for " + what);
      }
      LockSupport.parkNanos(PARK_NANOS);
    }
    return System.nanoTime();
  }

  private double sum(String name) {
    return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
