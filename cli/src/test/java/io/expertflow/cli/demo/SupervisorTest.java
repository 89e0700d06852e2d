package io.expertflow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SupervisorTest {
  /** A component whose loop waits until it is closed, or fails at once when told to. */
  private static final class LoopStub implements Runnable, AutoCloseable {
    private final CountDownLatch closed = new CountDownLatch(1);
    private final boolean fail;
    private final List<String> log;
    private final String name;

    LoopStub(String name, boolean fail, List<String> log) {
      this.name = name;
      this.fail = fail;
      this.log = log;
    }

    @Override
    public void run() {
      if (fail) {
        throw new IllegalStateException("boom");
      }
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      log.add(name);
      closed.countDown();
    }
  }

  @Test
  void shouldStopEverythingInReverseOrderOnce() {
    List<String> log = new CopyOnWriteArrayList<>();
    Supervisor tree = new Supervisor();
    tree.own("broker", () -> log.add("broker"));
    tree.start("worker", new LoopStub("worker", false, log));
    tree.own("reader", () -> log.add("reader"));

    tree.close();
    tree.close();

    assertThat(log).containsExactly("reader", "worker", "broker");
    tree.checkHealthy();
  }

  @Test
  void shouldReportAComponentThatFailed() {
    List<String> log = new CopyOnWriteArrayList<>();
    try (Supervisor tree = new Supervisor()) {
      tree.start("updater", new LoopStub("updater", true, log));

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThatThrownBy(tree::checkHealthy)
                      .hasMessageContaining("updater failed")
                      .hasMessageContaining("boom"));
    }
  }

  @Test
  void shouldKeepClosingWhenOneCloseFails() {
    List<String> log = new CopyOnWriteArrayList<>();
    Supervisor tree = new Supervisor();
    tree.own("first", () -> log.add("first"));
    tree.own(
        "second",
        () -> {
          throw new IllegalStateException("cannot stop");
        });

    tree.close();

    assertThat(log).containsExactly("first");
  }
}
