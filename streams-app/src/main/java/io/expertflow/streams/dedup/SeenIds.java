package io.expertflow.streams.dedup;

import java.time.Duration;
import java.util.OptionalLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The ids a processor has taken, each at its record time, in a window store: an id taken within the
 * window on either side of a new record's time (so reordered copies are caught too) is a duplicate.
 * Intake's request ids and the feedback topology's feedback ids. One per task; stream thread only.
 */
public final class SeenIds {
  private final WindowStore<String, Long> store;
  private final long windowMs;

  public SeenIds(WindowStore<String, Long> store, Duration window) {
    this.store = store;
    this.windowMs = window.toMillis();
  }

  /** The store: ids kept for twice the window, so both sides of a record's time are there. */
  public static StoreBuilder<WindowStore<String, Long>> store(String name, Duration window) {
    return Stores.windowStoreBuilder(
        Stores.persistentWindowStore(name, window.multipliedBy(2), window, false),
        Serdes.String(),
        Serdes.Long());
  }

  /** The record time at which {@code id} was taken within the window of {@code timestamp}. */
  public OptionalLong taken(String id, long timestamp) {
    long from = Math.max(0, timestamp - windowMs);
    long to = timestamp > Long.MAX_VALUE - windowMs ? Long.MAX_VALUE : timestamp + windowMs;
    try (KeyValueIterator<Windowed<String>, Long> hits = store.fetch(id, id, from, to)) {
      return hits.hasNext() ? OptionalLong.of(hits.next().value) : OptionalLong.empty();
    }
  }

  /** Remembers {@code id} as taken at {@code timestamp}. */
  public void take(String id, long timestamp) {
    store.put(id, timestamp, timestamp);
  }
}
