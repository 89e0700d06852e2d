package io.expertflow.operators.batching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchBisectorTest {

  private static final int POISON = 13;

  private final List<Integer> failedAttempts = new CopyOnWriteArrayList<>();
  private final BatchListener listener =
      new BatchListener() {
        @Override
        public void onItemFailed(Throwable cause, int attempts) {
          failedAttempts.add(attempts);
        }
      };

  @Test
  void shouldIsolateOnePoisonItemAmong32AndAnswerItsNeighbours() {
    List<List<Integer>> calls = new CopyOnWriteArrayList<>();
    BatchProcessor<Integer, String> engine =
        batch -> {
          calls.add(batch);
          if (batch.contains(POISON)) {
            throw new IllegalStateException("engine cannot run item " + POISON);
          }
          return batch.stream().map(i -> "ok" + i).toList();
        };
    List<QueuedItem<Integer, String>> items = items(32);

    BatchBisector.Tally tally = new BatchBisector<>(engine, 3, listener).run(items);

    for (QueuedItem<Integer, String> item : items) {
      if (item.payload() == POISON) {
        assertThat(item.future())
            .failsWithin(Duration.ZERO)
            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .havingCause()
            .isInstanceOf(IllegalStateException.class)
            .withMessage("engine cannot run item 13");
      } else {
        assertThat(item.future()).isCompletedWithValue("ok" + item.payload());
      }
    }
    assertThat(calls.stream().filter(c -> c.equals(List.of(POISON)))).hasSize(3);
    assertThat(failedAttempts).containsExactly(3);
    // 32 -> 16 -> 8 -> 4 -> 2 -> 1 fail (6 calls), 5 healthy halves, 2 more runs alone
    assertThat(tally.engineCalls).isEqualTo(13);
    assertThat(tally.succeeded).isEqualTo(31);
    assertThat(tally.failed).isEqualTo(1);
  }

  @Test
  void shouldRunAHealthyBatchInOneCall() {
    AtomicInteger calls = new AtomicInteger();
    BatchProcessor<Integer, Integer> engine =
        batch -> {
          calls.incrementAndGet();
          return batch.stream().map(i -> i * 10).toList();
        };
    List<QueuedItem<Integer, Integer>> items = items(8);

    new BatchBisector<>(engine, 3, listener).run(items);

    assertThat(calls).hasValue(1);
    assertThat(items)
        .allSatisfy(i -> assertThat(i.future()).isCompletedWithValue(i.payload() * 10));
  }

  @Test
  void shouldAnswerAnItemThatFailsOnlyOnceWithItsResult() {
    AtomicInteger failuresLeft = new AtomicInteger(2);
    BatchProcessor<Integer, Integer> flaky =
        batch -> {
          if (failuresLeft.getAndDecrement() > 0) {
            throw new java.io.IOException("device busy");
          }
          return batch;
        };
    List<QueuedItem<Integer, Integer>> items = items(1);

    new BatchBisector<>(flaky, 3, listener).run(items);

    assertThat(items.get(0).future()).isCompletedWithValue(0);
    assertThat(failedAttempts).isEmpty();
  }

  @Test
  void shouldFailItemsWhenTheProcessorReturnsTheWrongNumberOfResults() {
    BatchProcessor<Integer, Integer> dropsOne = batch -> batch.subList(0, batch.size() - 1);
    List<QueuedItem<Integer, Integer>> items = items(2);

    new BatchBisector<>(dropsOne, 1, listener).run(items);

    assertThat(items)
        .allSatisfy(
            i ->
                assertThat(i.future())
                    .failsWithin(Duration.ZERO)
                    .withThrowableThat()
                    .havingCause()
                    .withMessageContaining("returned 0 results for a batch of 1 items"));
  }

  @Test
  void shouldSkipItemsTheirCallerCancelledWhileTheyWaited() {
    List<List<Integer>> calls = new ArrayList<>();
    BatchProcessor<Integer, Integer> engine =
        batch -> {
          calls.add(batch);
          return batch;
        };
    List<QueuedItem<Integer, Integer>> items = items(3);
    items.get(1).future().cancel(false);

    new BatchBisector<>(engine, 3, listener).run(items);

    assertThat(calls).containsExactly(List.of(0, 2));
    assertThat(items.get(2).future()).isCompletedWithValue(2);
  }

  private static <R> List<QueuedItem<Integer, R>> items(int count) {
    List<QueuedItem<Integer, R>> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      items.add(new QueuedItem<>(i, 10, 0, i, 0, QueuedItem.NO_DEADLINE));
    }
    return items;
  }
}
