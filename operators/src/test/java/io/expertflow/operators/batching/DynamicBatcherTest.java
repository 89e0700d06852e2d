package io.expertflow.operators.batching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** So long that only a full batch, a drain or a deadline releases anything. */
  private static final Duration NEVER = Duration.ofHours(1);

  private final List<Integer> processed = new CopyOnWriteArrayList<>();
  private final List<BatchStats> formed = new CopyOnWriteArrayList<>();
  private final AtomicInteger expired = new AtomicInteger();
  private final AtomicInteger rejected = new AtomicInteger();
  private final BatchListener listener =
      new BatchListener() {
        @Override
        public void onBatchFormed(BatchStats stats) {
          formed.add(stats);
        }

        @Override
        public void onItemExpired(int lane, long queuedNanos) {
          expired.incrementAndGet();
        }

        @Override
        public void onItemRejected(BatcherException reason) {
          rejected.incrementAndGet();
        }
      };
  private final BatchProcessor<Integer, Integer> doubler =
      batch -> {
        processed.addAll(batch);
        return batch.stream().map(i -> i * 2).toList();
      };
  private DynamicBatcher<Integer, Integer> batcher;

  @AfterEach
  void stop() {
    if (batcher != null) {
      batcher.shutdownNow();
    }
  }

  @Test
  void shouldAnswerEveryItemExactlyOnceUnderConcurrentOffers() throws Exception {
    Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
    AtomicInteger completions = new AtomicInteger();
    BatchPolicy policy =
        BatchPolicy.builder()
            .maxBatchSize(16)
            .maxQueueDelay(Duration.ofMillis(1))
            .concurrency(2)
            .build();
    batcher =
        DynamicBatcher.<Integer, Integer>builder(
                policy,
                batch -> {
                  batch.forEach(
                      i -> runs.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet());
                  return batch.stream().map(i -> i * 2).toList();
                })
            .start();
    int threads = 8;
    int perThread = 250;
    ExecutorService offerers = Executors.newFixedThreadPool(threads);
    List<Future<List<CompletableFuture<Integer>>>> offered = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * perThread;
      offered.add(
          offerers.submit(
              () -> {
                List<CompletableFuture<Integer>> futures = new ArrayList<>();
                for (int i = base; i < base + perThread; i++) {
                  futures.add(batcher.offer(i, 1 + i % 200, i % 10, null));
                }
                return futures;
              }));
    }
    List<CompletableFuture<Integer>> all = new ArrayList<>();
    for (Future<List<CompletableFuture<Integer>>> f : offered) {
      all.addAll(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
    offerers.shutdown();
    // wait on the counting stages themselves: allOf(all) may complete before the last item's
    // callback has run on the thread that completed it
    List<CompletableFuture<Integer>> counted =
        all.stream().map(f -> f.whenComplete((r, e) -> completions.incrementAndGet())).toList();

    assertThat(CompletableFuture.allOf(counted.toArray(CompletableFuture[]::new)))
        .succeedsWithin(WAIT);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i)).isCompletedWithValue(i * 2);
    }
    assertThat(runs).hasSize(threads * perThread);
    assertThat(runs.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    assertThat(completions).hasValue(threads * perThread);
  }

  @Test
  void shouldDrainQueuedItemsThroughTheEngineOnClose() {
    batcher = start(BatchPolicy.builder().maxQueueDelay(NEVER).build(), doubler);
    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      futures.add(batcher.offer(i, 8));
    }

    batcher.close();

    assertThat(futures).allSatisfy(f -> assertThat(f).isDone());
    assertThat(futures.get(7)).isCompletedWithValue(14);
    assertThat(processed).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(batcher.offer(99, 8))
        .failsWithin(Duration.ZERO)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(BatcherClosedException.class);
  }

  @Test
  void shouldCancelQueuedItemsOnShutdownNow() {
    batcher = start(BatchPolicy.builder().maxQueueDelay(NEVER).build(), doubler);
    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      futures.add(batcher.offer(i, 8));
    }

    int cancelled = batcher.shutdownNow();

    assertThat(cancelled).isEqualTo(5);
    assertThat(futures).allSatisfy(f -> assertThat(f).isCancelled());
    assertThat(processed).isEmpty();
  }

  @Test
  void shouldAnswerExpiredItemsWithoutRunningThem() {
    FakeTicker ticker = new FakeTicker();
    batcher =
        DynamicBatcher.builder(BatchPolicy.builder().maxQueueDelay(NEVER).build(), doubler)
            .ticker(ticker)
            .listener(listener)
            .start();

    CompletableFuture<Integer> late = batcher.offer(1, 8, 0, Duration.ofMillis(5));
    CompletableFuture<Integer> onTime = batcher.offer(2, 8, 0, Duration.ofHours(2));
    ticker.advance(Duration.ofMillis(6));

    assertThat(late)
        .failsWithin(WAIT)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(ItemExpiredException.class);
    batcher.close();
    assertThat(onTime).isCompletedWithValue(4);
    assertThat(processed).containsExactly(2);
    assertThat(expired).hasValue(1);
  }

  @Test
  void shouldAnswerAFullQueueWithAFailedFutureAtOnce() {
    batcher = start(BatchPolicy.builder().maxQueueDelay(NEVER).maxQueuedItems(2).build(), doubler);
    batcher.offer(1, 8);
    batcher.offer(2, 8);

    CompletableFuture<Integer> third = batcher.offer(3, 8);

    assertThat(third)
        .failsWithin(Duration.ZERO)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(BatcherFullException.class);
    assertThat(batcher.queuedItems()).isEqualTo(2);
    assertThat(rejected).hasValue(1);
  }

  @Test
  void shouldRunAtMostConcurrencyBatchesAtOnceWhileItemsKeepQueueing() throws Exception {
    CountDownLatch twoRunning = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger active = new AtomicInteger();
    AtomicInteger maxActive = new AtomicInteger();
    BatchProcessor<Integer, Integer> slow =
        batch -> {
          maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
          twoRunning.countDown();
          release.await();
          active.decrementAndGet();
          return batch;
        };
    BatchPolicy policy =
        BatchPolicy.builder().maxBatchSize(1).maxQueueDelay(Duration.ZERO).concurrency(2).build();
    batcher = start(policy, slow);
    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      futures.add(batcher.offer(i, 8));
    }

    assertThat(twoRunning.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(batcher.inFlightBatches()).isEqualTo(2);
    assertThat(batcher.queuedItems()).isEqualTo(4);
    release.countDown();

    assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)))
        .succeedsWithin(WAIT);
    assertThat(maxActive).hasValue(2);
    assertThat(formed).hasSize(6);
  }

  @Test
  void shouldIsolateAPoisonItemAndAnswerItsNeighbours() {
    BatchProcessor<Integer, Integer> engine =
        batch -> {
          if (batch.contains(13)) {
            throw new IllegalArgumentException("tensor shape mismatch");
          }
          return batch;
        };
    batcher = start(BatchPolicy.builder().maxBatchSize(32).maxQueueDelay(NEVER).build(), engine);
    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      futures.add(batcher.offer(i, 8));
    }

    assertThat(futures.get(13))
        .failsWithin(WAIT)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(IllegalArgumentException.class)
        .withMessage("tensor shape mismatch");
    for (int i = 0; i < 32; i++) {
      if (i != 13) {
        assertThat(futures.get(i)).succeedsWithin(WAIT).isEqualTo(i);
      }
    }
  }

  @Test
  void shouldKeepAnsweringItemsWhenTheListenerThrows() {
    BatchListener broken =
        new BatchListener() {
          @Override
          public void onBatchFormed(BatchStats stats) {
            throw new IllegalStateException("metrics registry closed");
          }
        };
    batcher =
        DynamicBatcher.builder(BatchPolicy.builder().maxQueueDelay(Duration.ZERO).build(), doubler)
            .listener(broken)
            .start();

    assertThat(batcher.offer(21, 8)).succeedsWithin(WAIT).isEqualTo(42);
  }

  private DynamicBatcher<Integer, Integer> start(
      BatchPolicy policy, BatchProcessor<Integer, Integer> processor) {
    return DynamicBatcher.builder(policy, processor).listener(listener).start();
  }
}
