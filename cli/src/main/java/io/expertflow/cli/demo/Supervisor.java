package io.expertflow.cli.demo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's process tree: resources and long-running components, each named, closed in reverse
 * order of start (each close isolated, so one failure does not keep the rest running), also from a
 * JVM shutdown hook on Ctrl-C. A component whose loop ends by an exception, or at all before {@link
 * #close}, marks the tree failed; {@link #checkHealthy} then throws with its name.
 *
 * <p>Threading: any thread may start, check and close; close is idempotent.
 */
public final class Supervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  private final Deque<Named> owned = new ArrayDeque<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final Thread hook = new Thread(this::closeFromHook, "expertflow-demo-shutdown");
  private volatile boolean closing;
  private boolean closed;

  private record Named(String name, AutoCloseable resource) {}

  public Supervisor() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Takes ownership of {@code resource}: it is closed with the tree. Returns it. */
  public synchronized <T extends AutoCloseable> T own(String name, T resource) {
    if (closed) {
      closeQuietly(new Named(name, resource));
      throw new IllegalStateException("the demo is stopping; " + name + " was not started");
    }
    owned.push(new Named(name, resource));
    return resource;
  }

  /** Owns {@code component} and runs its loop on a daemon thread named {@code name}. */
  public synchronized <T extends Runnable & AutoCloseable> T start(String name, T component) {
    own(name, component);
    Thread t =
        new Thread(
            () -> {
              try {
                component.run();
                if (!closing) {
                  fail(new IllegalStateException(name + " stopped unexpectedly"));
                }
              } catch (RuntimeException | Error e) {
                if (!closing) {
                  LOG.error("{} failed", name, e);
                  fail(new IllegalStateException(name + " failed: " + e, e));
                }
              }
            },
            name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
    return component;
  }

  private void fail(RuntimeException e) {
    failure.compareAndSet(null, e);
  }

  /** Throws the first component failure, if any. */
  public void checkHealthy() {
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  @Override
  public void close() {
    doClose();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running or has run
    }
  }

  private void closeFromHook() {
    if (!isClosed()) {
      System.err.println("\nexpertflow demo: stopping everything it started...");
      doClose();
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private synchronized void doClose() {
    if (closed) {
      return;
    }
    closing = true;
    closed = true;
    while (!owned.isEmpty()) {
      closeQuietly(owned.pop());
    }
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void closeQuietly(Named n) {
    try {
      n.resource().close();
    } catch (Exception e) {
      LOG.warn("stopping {} failed: {}", n.name(), e.toString());
    }
  }
}
