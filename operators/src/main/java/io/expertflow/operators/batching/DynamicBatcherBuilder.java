package io.expertflow.operators.batching;

import java.util.Objects;

/**
 * Builds and starts a {@link DynamicBatcher}. Not thread-safe; use once.
 *
 * @param <I> the item payload
 * @param <R> the result of one item
 */
public final class DynamicBatcherBuilder<I, R> {

  /** Prefix of the batcher's thread names unless {@link #name} sets another. */
  public static final String DEFAULT_NAME = "batcher";

  private final BatchPolicy policy;
  private final BatchProcessor<I, R> processor;
  private Ticker ticker = Ticker.system();
  private BatchListener listener = BatchListener.NONE;
  private String name = DEFAULT_NAME;

  DynamicBatcherBuilder(BatchPolicy policy, BatchProcessor<I, R> processor) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.processor = Objects.requireNonNull(processor, "processor");
  }

  /** The time source for delays and deadlines; the system's monotonic clock by default. */
  public DynamicBatcherBuilder<I, R> ticker(Ticker value) {
    this.ticker = Objects.requireNonNull(value, "ticker");
    return this;
  }

  /** Receives batch and item events, for metrics; none by default. */
  public DynamicBatcherBuilder<I, R> listener(BatchListener value) {
    this.listener = Objects.requireNonNull(value, "listener");
    return this;
  }

  /** Prefix of the thread names, for example {@code "worker-0-batcher"}. */
  public DynamicBatcherBuilder<I, R> name(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("batcher name must not be blank but was '" + value + "'");
    }
    this.name = value;
    return this;
  }

  /** Creates the batcher and starts its threads. */
  public DynamicBatcher<I, R> start() {
    DynamicBatcher<I, R> batcher = new DynamicBatcher<>(policy, processor, ticker, listener, name);
    batcher.start();
    return batcher;
  }
}
