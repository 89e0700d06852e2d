package io.expertflow.operators.batching;

import java.time.Duration;
import java.util.Objects;

/**
 * The rules by which a {@link DynamicBatcher} forms batches. Immutable and validated when built;
 * safe to share between threads. Every knob has a {@code DEFAULT_*} constant explained beside it;
 * build with {@link #builder()} (unset knobs keep their default).
 *
 * <p>Cost model: the engine pads every sequence of a batch to the longest one, so the cost of a
 * batch is {@code items x longest item} ("padded tokens"), not the sum of the item lengths.
 *
 * @param maxBatchSize see {@link #DEFAULT_MAX_BATCH_SIZE}
 * @param maxQueueDelay see {@link #DEFAULT_MAX_QUEUE_DELAY}
 * @param maxBatchTokens see {@link #DEFAULT_MAX_BATCH_TOKENS}
 * @param lengthGrouping see {@link #DEFAULT_LENGTH_GROUPING}
 * @param lengthBucketTokens see {@link #DEFAULT_LENGTH_BUCKET_TOKENS}
 * @param groupingWindow see {@link #DEFAULT_GROUPING_WINDOW}
 * @param priorityLanes see {@link #DEFAULT_PRIORITY_LANES}
 * @param agingBound see {@link #DEFAULT_AGING_BOUND}
 * @param maxQueuedItems see {@link #DEFAULT_MAX_QUEUED_ITEMS}
 * @param maxQueuedTokens see {@link #DEFAULT_MAX_QUEUED_TOKENS}
 * @param maxAttempts see {@link #DEFAULT_MAX_ATTEMPTS}
 * @param concurrency see {@link #DEFAULT_CONCURRENCY}
 */
public record BatchPolicy(
    int maxBatchSize,
    Duration maxQueueDelay,
    int maxBatchTokens,
    boolean lengthGrouping,
    int lengthBucketTokens,
    int groupingWindow,
    int priorityLanes,
    Duration agingBound,
    int maxQueuedItems,
    long maxQueuedTokens,
    int maxAttempts,
    int concurrency) {

  /** Most items in one batch. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 32;

  /**
   * Longest time the oldest queued item waits for a batch to fill before a partial batch is
   * released anyway.
   */
  public static final Duration DEFAULT_MAX_QUEUE_DELAY = Duration.ofMillis(5);

  /** Padded-token budget of one batch: {@code items x longest item} never exceeds it. */
  public static final int DEFAULT_MAX_BATCH_TOKENS = 8192;

  /** Whether batches are filled with the queued items closest in length to the batch's anchor. */
  public static final boolean DEFAULT_LENGTH_GROUPING = true;

  /** Width of a length bucket: items whose lengths fall in the same bucket count as equal. */
  public static final int DEFAULT_LENGTH_BUCKET_TOKENS = 16;

  /** How many of the oldest items of each lane are considered when choosing similar lengths. */
  public static final int DEFAULT_GROUPING_WINDOW = 256;

  /** Number of priority lanes; priorities run from 0 (lowest) to lanes - 1 (highest). */
  public static final int DEFAULT_PRIORITY_LANES = 10;

  /**
   * Anti-starvation bound: an item that has waited this long is served before any younger item,
   * whatever its lane.
   */
  public static final Duration DEFAULT_AGING_BOUND = Duration.ofMillis(250);

  /** Most items waiting in the queue; offers beyond it are rejected. */
  public static final int DEFAULT_MAX_QUEUED_ITEMS = 10_000;

  /** Most tokens (sum of item lengths) waiting in the queue; offers beyond it are rejected. */
  public static final long DEFAULT_MAX_QUEUED_TOKENS = 2_000_000L;

  /** How many times an item is run alone, after its batch failed, before it fails for good. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** How many batches run on the engine at the same time (one per engine session / device). */
  public static final int DEFAULT_CONCURRENCY = 1;

  /**
   * Validates every value.
   *
   * @throws IllegalArgumentException naming the first invalid knob, its value and the fix
   * @throws NullPointerException if a duration is null
   */
  public BatchPolicy {
    atLeast("maxBatchSize", maxBatchSize, 1);
    nonNegative("maxQueueDelay", maxQueueDelay);
    atLeast("maxBatchTokens", maxBatchTokens, 1);
    atLeast("lengthBucketTokens", lengthBucketTokens, 1);
    atLeast("groupingWindow", groupingWindow, 1);
    atLeast("priorityLanes", priorityLanes, 1);
    nonNegative("agingBound", agingBound);
    atLeast("maxQueuedItems", maxQueuedItems, 1);
    atLeast("maxQueuedTokens", maxQueuedTokens, 1);
    atLeast("maxAttempts", maxAttempts, 1);
    atLeast("concurrency", concurrency, 1);
    if (maxQueuedTokens < maxBatchTokens) {
      throw new IllegalArgumentException(
          "maxQueuedTokens ("
              + maxQueuedTokens
              + ") is smaller than maxBatchTokens ("
              + maxBatchTokens
              + "), so a full batch could never be queued; raise maxQueuedTokens");
    }
  }

  /** A policy with every default. */
  public static BatchPolicy defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    return new Builder()
        .maxBatchSize(maxBatchSize)
        .maxQueueDelay(maxQueueDelay)
        .maxBatchTokens(maxBatchTokens)
        .lengthGrouping(lengthGrouping)
        .lengthBucketTokens(lengthBucketTokens)
        .groupingWindow(groupingWindow)
        .priorityLanes(priorityLanes)
        .agingBound(agingBound)
        .maxQueuedItems(maxQueuedItems)
        .maxQueuedTokens(maxQueuedTokens)
        .maxAttempts(maxAttempts)
        .concurrency(concurrency);
  }

  private static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(
          name + " must be at least " + min + " but was " + value + "; fix the batch policy");
    }
  }

  private static void nonNegative(String name, Duration value) {
    Objects.requireNonNull(value, () -> name + " must not be null; use Duration.ZERO for none");
    if (value.isNegative()) {
      throw new IllegalArgumentException(
          name + " must not be negative but was " + value + "; use Duration.ZERO for no wait");
    }
  }

  /** Mutable builder; not thread-safe. {@link #build()} validates every value. */
  public static final class Builder {
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private Duration maxQueueDelay = DEFAULT_MAX_QUEUE_DELAY;
    private int maxBatchTokens = DEFAULT_MAX_BATCH_TOKENS;
    private boolean lengthGrouping = DEFAULT_LENGTH_GROUPING;
    private int lengthBucketTokens = DEFAULT_LENGTH_BUCKET_TOKENS;
    private int groupingWindow = DEFAULT_GROUPING_WINDOW;
    private int priorityLanes = DEFAULT_PRIORITY_LANES;
    private Duration agingBound = DEFAULT_AGING_BOUND;
    private int maxQueuedItems = DEFAULT_MAX_QUEUED_ITEMS;
    private long maxQueuedTokens = DEFAULT_MAX_QUEUED_TOKENS;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private int concurrency = DEFAULT_CONCURRENCY;

    private Builder() {}

    public Builder maxBatchSize(int value) {
      this.maxBatchSize = value;
      return this;
    }

    public Builder maxQueueDelay(Duration value) {
      this.maxQueueDelay = value;
      return this;
    }

    public Builder maxBatchTokens(int value) {
      this.maxBatchTokens = value;
      return this;
    }

    public Builder lengthGrouping(boolean value) {
      this.lengthGrouping = value;
      return this;
    }

    public Builder lengthBucketTokens(int value) {
      this.lengthBucketTokens = value;
      return this;
    }

    public Builder groupingWindow(int value) {
      this.groupingWindow = value;
      return this;
    }

    public Builder priorityLanes(int value) {
      this.priorityLanes = value;
      return this;
    }

    public Builder agingBound(Duration value) {
      this.agingBound = value;
      return this;
    }

    public Builder maxQueuedItems(int value) {
      this.maxQueuedItems = value;
      return this;
    }

    public Builder maxQueuedTokens(long value) {
      this.maxQueuedTokens = value;
      return this;
    }

    public Builder maxAttempts(int value) {
      this.maxAttempts = value;
      return this;
    }

    public Builder concurrency(int value) {
      this.concurrency = value;
      return this;
    }

    /** Validates and builds the policy; see the {@link BatchPolicy} constructor. */
    public BatchPolicy build() {
      return new BatchPolicy(
          maxBatchSize,
          maxQueueDelay,
          maxBatchTokens,
          lengthGrouping,
          lengthBucketTokens,
          groupingWindow,
          priorityLanes,
          agingBound,
          maxQueuedItems,
          maxQueuedTokens,
          maxAttempts,
          concurrency);
    }
  }
}
