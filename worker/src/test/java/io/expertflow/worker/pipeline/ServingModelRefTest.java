package io.expertflow.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.model.engine.HeadSignature;
import io.expertflow.model.onnx.MoeHeadOnnxBuilder;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServingModelRefTest {
  private static final MoeHeadConfig HEAD = new MoeHeadConfig(8, 4, 2, 4, 2, List.of("x", "y"));
  private static final float[][] BATCH = {{1, 0, 0, 0, 0, 0, 0, 0}};
  private static Engine engine;

  @BeforeAll
  static void startEngine() {
    engine =
        Engine.start(
            EngineConfig.defaults().withProvider(ExecutionProvider.CPU).withIntraOpThreads(1));
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
  }

  @Test
  void shouldKeepALeasedSessionOpenUntilItsBatchIsDone() {
    ServingModelRef ref = new ServingModelRef(model("v1"));
    ServingModelRef.Lease lease = ref.acquire();

    CompletableFuture<ServingModel> closed = ref.swap(model("v2"));

    assertThat(ref.current().version()).isEqualTo("v2");
    assertThat(closed).isNotDone();
    assertThat(lease.model().head().route(BATCH)).hasSize(1); // still usable mid-batch
    lease.close();
    assertThat(closed).isCompleted();
    assertThatThrownBy(() -> lease.model().head().route(BATCH))
        .isInstanceOf(RuntimeException.class);
    try (ServingModelRef.Lease next = ref.acquire()) {
      assertThat(next.model().version()).isEqualTo("v2");
    }
  }

  @Test
  void shouldCloseAnUnleasedSessionAtOnce() {
    ServingModelRef ref = new ServingModelRef(model("v1"));

    assertThat(ref.swap(model("v2"))).isCompleted();
  }

  @Test
  void shouldNeverCloseASessionUnderARunningBatchWhileSwappingRepeatedly() throws Exception {
    ServingModelRef ref = new ServingModelRef(model("v0"));
    ExecutorService batches = Executors.newFixedThreadPool(2);
    AtomicInteger routed = new AtomicInteger();
    CompletableFuture<?>[] running = new CompletableFuture<?>[2];
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    for (int t = 0; t < running.length; t++) {
      running[t] =
          CompletableFuture.runAsync(
              () -> {
                while (!stop.get()) {
                  try (ServingModelRef.Lease lease = ref.acquire()) {
                    lease.model().head().route(BATCH); // throws if the session was closed
                    routed.incrementAndGet();
                  }
                }
              },
              batches);
    }
    CompletableFuture<ServingModel> last = null;
    for (int v = 1; v <= 20; v++) {
      last = ref.swap(model("v" + v));
    }
    stop.set(true);
    CompletableFuture.allOf(running).get(30, java.util.concurrent.TimeUnit.SECONDS);
    batches.shutdown();

    assertThat(routed.get()).isPositive();
    assertThat(last).succeedsWithin(Duration.ofSeconds(5));
    assertThat(ref.current().version()).isEqualTo("v20");
  }

  private static ServingModel model(String version) {
    HeadSession head =
        engine.openHead(
            MoeHeadOnnxBuilder.build(MoeHeadWeights.random(HEAD, 7)),
            HeadSignature.defaults(),
            HEAD);
    return new ServingModel("m", version, head);
  }
}
