package io.expertflow.worker;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the schema registry is unreachable, and when to try it again. An outage starts with the
 * first failed call and ends with the first successful one; while it lasts, retries wait a backoff
 * that doubles from {@link #DEFAULT_INITIAL_BACKOFF} up to {@link #DEFAULT_MAX_BACKOFF}. Each
 * outage is logged twice: once (WARN) when it starts, once (INFO) when it ends, with how long it
 * lasted and how many calls failed; the failures in between are only counted.
 *
 * <p>Thread-safe: the worker's poll thread reports calls, the probe server reads {@link #active()}.
 */
public final class RegistryOutage {
  /** Wait before the first retry. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);

  /** Longest wait between two retries, however long the outage lasts. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(RegistryOutage.class);

  private final String workerId;
  private final LongSupplier nanoTime;
  private final long initialBackoff;
  private final long maxBackoff;
  private volatile boolean active;
  private long startedAt;
  private long retryAt;
  private long backoff;
  private int failures;
  private int outages;

  public RegistryOutage(String workerId) {
    this(workerId, System::nanoTime, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
  }

  /**
   * @param nanoTime the clock, {@link System#nanoTime()} outside tests
   */
  public RegistryOutage(
      String workerId, LongSupplier nanoTime, Duration initialBackoff, Duration maxBackoff) {
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException(
          "initial registry backoff must be > 0, was " + initialBackoff.toMillis() + " ms");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "max registry backoff ("
              + maxBackoff.toMillis()
              + " ms) must not be below the initial one ("
              + initialBackoff.toMillis()
              + " ms)");
    }
    this.workerId = workerId;
    this.nanoTime = nanoTime;
    this.initialBackoff = initialBackoff.toNanos();
    this.maxBackoff = maxBackoff.toNanos();
  }

  /**
   * A registry call failed because the registry could not answer.
   *
   * @return true if this failure started an outage
   */
  public synchronized boolean failed(Throwable cause) {
    long now = nanoTime.getAsLong();
    failures++;
    if (!active) {
      active = true;
      outages++;
      startedAt = now;
      backoff = initialBackoff;
      retryAt = now + backoff;
      LOG.warn(
          "worker {}: schema registry unavailable ({}); holding the records that need it, not"
              + " ready, retrying every {} ms up to every {} ms until it answers",
          workerId,
          Failures.describe(cause),
          Duration.ofNanos(initialBackoff).toMillis(),
          Duration.ofNanos(maxBackoff).toMillis());
      return true;
    }
    backoff = Math.min(maxBackoff, backoff * 2);
    retryAt = now + backoff;
    return false;
  }

  /** A registry call succeeded; ends the outage if there is one. */
  public synchronized void succeeded() {
    if (!active) {
      return;
    }
    active = false;
    LOG.info(
        "worker {}: schema registry answers again after {} ms and {} failed calls; ready",
        workerId,
        Duration.ofNanos(nanoTime.getAsLong() - startedAt).toMillis(),
        failures);
    failures = 0;
  }

  /** Whether an outage lasts (for readiness). */
  public boolean active() {
    return active;
  }

  /** Whether work that needs the registry should wait now: an outage, and its retry not yet due. */
  public synchronized boolean holding() {
    return active && nanoTime.getAsLong() - retryAt < 0;
  }

  /** Outages since the start (for metrics and tests). */
  public synchronized int outages() {
    return outages;
  }

  /** The wait before the next retry, zero outside an outage. */
  public synchronized Duration backoff() {
    return active ? Duration.ofNanos(backoff) : Duration.ZERO;
  }
}
