package io.expertflow.cli.commands;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a long-lived service (worker, updater, streams app) on the calling thread until it returns
 * or the process gets SIGTERM / Ctrl-C, and closes it exactly once either way.
 *
 * <p>Threading: {@link #run} blocks the calling (main) thread. A shutdown hook closes the service,
 * which makes {@code run} return; the main thread then finishes the command, and the hook waits for
 * that (at most {@code grace}) before it halts the JVM with status 0. The hook never joins the main
 * thread: the main thread may be blocked in {@code System.exit}, which waits for the hooks, so a
 * join would hang until its timeout. It halts because a JVM stopped by a signal otherwise exits
 * with 128 + the signal number, and a service asked to stop that stopped cleanly has not failed.
 */
final class ServiceShutdown {
  private final String name;
  private final AutoCloseable service;
  private final Duration grace;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean failed = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);

  ServiceShutdown(String name, AutoCloseable service, Duration grace) {
    this.name = name;
    this.service = service;
    this.grace = grace;
  }

  /**
   * Runs {@code body} (the service's loop) with the hook in place, then closes the service once.
   *
   * @throws Exception what {@code body} or the close threw
   */
  void run(Body body) throws Exception {
    Thread hook = new Thread(this::onSignal, name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      body.run();
    } catch (Exception | Error e) {
      failed.set(true);
      throw e;
    } finally {
      try {
        closeOnce();
      } finally {
        finished.countDown();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it halts once this thread has finished
      }
    }
  }

  private void onSignal() {
    try {
      closeOnce();
      if (!finished.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        failed.set(true);
      }
    } catch (Exception e) {
      failed.set(true);
      System.err.println(name + ": stopping failed: " + e);
    }
    flush(System.out);
    flush(System.err);
    Runtime.getRuntime().halt(failed.get() ? 1 : 0);
  }

  private void closeOnce() throws Exception {
    if (closed.compareAndSet(false, true)) {
      service.close();
    }
  }

  private static void flush(PrintStream stream) {
    stream.flush();
  }

  /** The service's blocking loop. */
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }
}
