package io.expertflow.operators.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {

  private static final long MS = 1_000_000L;
  private static final long NONE = QueuedItem.NO_DEADLINE;

  private static BatchPolicy.Builder policy() {
    return BatchPolicy.builder()
        .maxBatchSize(4)
        .maxQueueDelay(Duration.ofMillis(10))
        .maxBatchTokens(4096)
        .priorityLanes(3)
        .agingBound(Duration.ofMillis(50));
  }

  @Test
  void shouldReleaseAFullBatchAtMaxSizeWithoutWaiting() {
    BatchAssembler<String, String> assembler = new BatchAssembler<>(policy().build());
    for (int i = 0; i < 5; i++) {
      assembler.add("item" + i, 20, 0, NONE, 0);
    }

    BatchPoll<String, String> first = assembler.poll(0, false);
    BatchPoll<String, String> second = assembler.poll(0, false);

    assertThat(first.batch().payloads()).containsExactly("item0", "item1", "item2", "item3");
    assertThat(second.hasBatch()).isFalse();
    assertThat(second.waitNanos()).isEqualTo(10 * MS);
    assertThat(assembler.size()).isEqualTo(1);
  }

  @Test
  void shouldHoldAPartialBatchUntilTheOldestItemHasWaitedTheMaxQueueDelay() {
    BatchAssembler<String, String> assembler = new BatchAssembler<>(policy().build());
    assembler.add("early", 20, 0, NONE, 0);
    assembler.add("late", 20, 0, NONE, 3 * MS);

    BatchPoll<String, String> tooSoon = assembler.poll(3 * MS, false);
    BatchPoll<String, String> onTime = assembler.poll(10 * MS, false);

    assertThat(tooSoon.hasBatch()).isFalse();
    assertThat(tooSoon.waitNanos()).isEqualTo(7 * MS);
    assertThat(onTime.batch().payloads()).containsExactly("early", "late");
    assertThat(onTime.batch().stats().oldestQueueDelayNanos()).isEqualTo(10 * MS);
  }

  @Test
  void shouldKeepItemsTimesLongestItemWithinTheTokenBudget() {
    BatchAssembler<String, String> assembler =
        new BatchAssembler<>(policy().maxBatchSize(32).maxBatchTokens(100).build());
    assembler.add("short", 10, 0, NONE, 0);
    assembler.add("long", 60, 0, NONE, 0);
    for (int i = 0; i < 9; i++) {
      assembler.add("s" + i, 10, 0, NONE, 0);
    }

    BatchPoll<String, String> poll = assembler.poll(0, false);

    // 10 short items fill the budget exactly (10 x 10); the long one would cost 11 x 60.
    assertThat(poll.batch().payloads()).hasSize(10).doesNotContain("long");
    assertThat(poll.batch().stats().paddedTokens()).isEqualTo(100);
    assertThat(assembler.poll(0, true).batch().payloads()).containsExactly("long");
  }

  @Test
  void shouldGroupSimilarLengthsWithLessPaddingWasteThanFifo() {
    int[] lengths = new int[96];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] =
          switch (i % 3) {
            case 0 -> 12 + i % 5;
            case 1 -> 120 + i % 7;
            default -> 60 + i % 4;
          };
    }
    BatchPolicy grouped = policy().maxBatchSize(8).build();
    BatchPolicy fifo = grouped.toBuilder().lengthGrouping(false).build();

    List<BatchStats> groupedBatches = drain(grouped, lengths);
    List<BatchStats> fifoBatches = drain(fifo, lengths);

    long groupedWaste = groupedBatches.stream().mapToLong(BatchStats::paddingWaste).sum();
    long fifoWaste = fifoBatches.stream().mapToLong(BatchStats::paddingWaste).sum();
    assertThat(groupedBatches.stream().mapToInt(BatchStats::size).sum()).isEqualTo(96);
    assertThat(fifoBatches.stream().mapToInt(BatchStats::size).sum()).isEqualTo(96);
    assertThat(groupedBatches).hasSameSizeAs(fifoBatches);
    assertThat(groupedWaste).isLessThan(fifoWaste / 5);
  }

  @Test
  void shouldServeHigherLanesFirstAndFifoWithinALane() {
    BatchAssembler<String, String> assembler =
        new BatchAssembler<>(policy().maxBatchSize(2).build());
    assembler.add("low1", 20, 0, NONE, 0);
    assembler.add("low2", 20, 0, NONE, 0);
    assembler.add("high1", 20, 2, NONE, 0);
    assembler.add("mid1", 20, 1, NONE, 0);
    assembler.add("high2", 20, 2, NONE, 0);

    assertThat(assembler.poll(0, true).batch().payloads()).containsExactly("high1", "high2");
    BatchPoll<String, String> second = assembler.poll(0, true);
    assertThat(second.batch().payloads()).containsExactly("mid1", "low1");
    assertThat(second.batch().stats().laneCounts()).containsExactly(1, 1, 0);
    assertThat(assembler.poll(0, true).batch().payloads()).containsExactly("low2");
  }

  @Test
  void shouldFillWithFreshHigherLaneItemsBeforeOverdueLowerLaneItems() {
    BatchAssembler<String, String> assembler = new BatchAssembler<>(policy().build());
    for (int i = 0; i < 4; i++) {
      assembler.add("low" + i, 20, 0, NONE, 0);
    }
    for (int i = 0; i < 4; i++) {
      assembler.add("high" + i, 20, 2, NONE, 20 * MS);
    }

    BatchPoll<String, String> poll = assembler.poll(20 * MS, false);

    assertThat(poll.batch().payloads()).containsExactly("high0", "high1", "high2", "high3");
  }

  @Test
  void shouldServeAStarvingLowPriorityItemOnceItHasWaitedTheAgingBound() {
    BatchAssembler<String, String> assembler =
        new BatchAssembler<>(policy().maxBatchSize(1).maxQueueDelay(Duration.ZERO).build());
    assembler.add("low", 20, 0, NONE, 0);
    long servedAt = -1;
    for (long t = 0; t <= 100 * MS && servedAt < 0; t += MS) {
      assembler.add("high@" + t, 20, 2, NONE, t);
      assembler.add("high2@" + t, 20, 2, NONE, t); // more high work arrives than is served
      if (assembler.poll(t, false).batch().payloads().contains("low")) {
        servedAt = t;
      }
    }

    assertThat(servedAt).isEqualTo(50 * MS);
  }

  @Test
  void shouldKeepHalfOfEachBatchForTheHigherLanesWhenEveryItemHasAged() {
    // an overload: a long backlog of low-priority items and a few high-priority ones, all of them
    // queued longer than the aging bound
    BatchAssembler<String, String> assembler = new BatchAssembler<>(policy().build());
    for (int i = 0; i < 100; i++) {
      assembler.add("low" + i, 20, 0, NONE, 0);
    }
    for (int i = 0; i < 4; i++) {
      assembler.add("high" + i, 20, 2, NONE, 10 * MS);
    }

    long now = 200 * MS; // past the 50 ms aging bound for all of them
    assertThat(assembler.poll(now, false).batch().payloads())
        .containsExactly("low0", "low1", "high0", "high1");
    assertThat(assembler.poll(now, false).batch().payloads())
        .containsExactly("low2", "low3", "high2", "high3");
    // without high-priority work the aged items fill whole batches, oldest first
    assertThat(assembler.poll(now, false).batch().payloads())
        .containsExactly("low4", "low5", "low6", "low7");
  }

  @Test
  void shouldExpireItemsPastTheirDeadlineAndNeverBatchThem() {
    BatchAssembler<String, String> assembler = new BatchAssembler<>(policy().build());
    assembler.add("doomed", 20, 0, 5 * MS, 0);
    assembler.add("patient", 20, 0, NONE, 0);

    BatchPoll<String, String> beforeDeadline = assembler.poll(3 * MS, false);
    BatchPoll<String, String> atDeadline = assembler.poll(5 * MS, false);
    BatchPoll<String, String> released = assembler.poll(10 * MS, false);

    assertThat(beforeDeadline.waitNanos()).isEqualTo(2 * MS);
    assertThat(atDeadline.expired()).extracting(QueuedItem::payload).containsExactly("doomed");
    assertThat(atDeadline.hasBatch()).isFalse();
    assertThat(released.batch().payloads()).containsExactly("patient");
  }

  @Test
  void shouldLetSimilarYoungerItemsOvertakeOnlyUntilTheMaxQueueDelay() {
    BatchPolicy twoPerBatch = policy().maxBatchSize(2).build();
    BatchAssembler<String, String> young = new BatchAssembler<>(twoPerBatch);
    young.add("short-old", 10, 0, NONE, 0);
    young.add("long-old", 100, 0, NONE, 0);
    young.add("short-new", 10, 0, NONE, 1 * MS);
    BatchAssembler<String, String> overdue = new BatchAssembler<>(twoPerBatch);
    overdue.add("short-old", 10, 0, NONE, 0);
    overdue.add("long-old", 100, 0, NONE, 0);
    overdue.add("short-new", 10, 0, NONE, 15 * MS);

    assertThat(young.poll(1 * MS, false).batch().payloads())
        .containsExactly("short-old", "short-new");
    assertThat(overdue.poll(15 * MS, false).batch().payloads())
        .containsExactly("short-old", "long-old");
  }

  @Test
  void shouldNeverLeaveAnOverdueItemBehindAYoungerOneOfItsLaneOrBreakTheLimits() {
    BatchPolicy policy = policy().maxBatchSize(8).maxBatchTokens(512).build();
    BatchAssembler<Integer, Integer> assembler = new BatchAssembler<>(policy);
    Map<Integer, QueuedItem<Integer, Integer>> queued = new HashMap<>();
    Random random = new Random(42);
    int batches = 0;
    int nextId = 0;
    for (long now = 0; now < 1_000 * MS; now += MS) {
      for (int arrivals = random.nextInt(8); arrivals > 0; arrivals--) {
        QueuedItem<Integer, Integer> item =
            assembler.add(nextId++, 1 + random.nextInt(128), random.nextInt(3), NONE, now);
        queued.put(item.payload(), item);
      }
      BatchPoll<Integer, Integer> poll = assembler.poll(now, false);
      if (!poll.hasBatch()) {
        continue;
      }
      batches++;
      BatchStats stats = poll.batch().stats();
      assertThat(stats.size()).isLessThanOrEqualTo(8);
      assertThat(stats.paddedTokens()).isLessThanOrEqualTo(512);
      poll.batch().items().forEach(item -> queued.remove(item.payload()));
      for (QueuedItem<Integer, Integer> taken : poll.batch().items()) {
        for (QueuedItem<Integer, Integer> left : queued.values()) {
          if (left.lane() == taken.lane()
              && left.sequence() < taken.sequence()
              && left.waitedNanos(now) >= 10 * MS) {
            fail("overdue %s left behind younger %s at %d ms", left, taken, now / MS);
          }
        }
      }
    }
    assertThat(batches).isGreaterThan(100);
    assertThat(queued.size()).as("the queue keeps up").isLessThan(100);
  }

  @Test
  void shouldRejectOffersBeyondTheQueueBoundsWithBatcherFullException() {
    BatchAssembler<String, String> byItems =
        new BatchAssembler<>(policy().maxQueuedItems(2).build());
    byItems.add("a", 10, 0, NONE, 0);
    byItems.add("b", 10, 0, NONE, 0);
    BatchAssembler<String, String> byTokens =
        new BatchAssembler<>(policy().maxBatchTokens(100).maxQueuedTokens(150).build());
    byTokens.add("a", 100, 0, NONE, 0);

    assertThatThrownBy(() -> byItems.add("c", 10, 0, NONE, 0))
        .isInstanceOf(BatcherFullException.class)
        .hasMessageContaining("2 items queued, the bound is maxQueuedItems=2");
    assertThatThrownBy(() -> byTokens.add("b", 60, 0, NONE, 0))
        .isInstanceOf(BatcherFullException.class)
        .hasMessageContaining("maxQueuedTokens=150");
    assertThat(byItems.size()).isEqualTo(2);
  }

  @Test
  void shouldRejectItemsLongerThanTheBatchBudgetOrOutsideTheLanes() {
    BatchAssembler<String, String> assembler =
        new BatchAssembler<>(policy().maxBatchTokens(256).build());

    assertThatThrownBy(() -> assembler.add("huge", 257, 0, NONE, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBatchTokens=256 tokens but was 257");
    assertThatThrownBy(() -> assembler.add("vip", 10, 3, NONE, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("priority must be between 0 and 2 but was 3");
    assertThat(assembler.isEmpty()).isTrue();
  }

  private static List<BatchStats> drain(BatchPolicy policy, int[] lengths) {
    BatchAssembler<Integer, Integer> assembler = new BatchAssembler<>(policy);
    for (int i = 0; i < lengths.length; i++) {
      assembler.add(i, lengths[i], 0, NONE, 0);
    }
    List<BatchStats> batches = new ArrayList<>();
    while (!assembler.isEmpty()) {
      batches.add(assembler.poll(0, true).batch().stats());
    }
    return batches;
  }
}
