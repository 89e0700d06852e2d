package io.expertflow.streams.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the review topology's stores on this instance: the pending items oldest first, one item, a
 * model's labels. The queue lives in one task; when another instance holds it, or the stores
 * restore, each call throws {@link Unavailable} saying so (and where it is). Thread-safe.
 */
public final class ReviewQueue {
  /** The most items counted for a queue's size before saying "at least". */
  public static final int MAX_COUNTED = 10_000;

  private final KafkaStreams streams;
  private final HostInfo self;

  /**
   * @param streams the running review application
   * @param self this instance's {@code application.server}
   */
  public ReviewQueue(KafkaStreams streams, HostInfo self) {
    this.streams = streams;
    this.self = self;
  }

  /** One page of the queue. */
  public record Page(List<ReviewItem> items, String nextAfter, long size, boolean sizeIsAtLeast) {}

  /**
   * Up to {@code limit} pending items, oldest answer first, after the queue key {@code after}
   * (null: from the start), and the queue's size (counted up to {@link #MAX_COUNTED}).
   */
  public Page pending(String after, int limit) {
    ReadOnlyKeyValueStore<String, String> queue = store(ReviewTopology.QUEUE_STORE);
    ReadOnlyKeyValueStore<String, ReviewItem> items = store(ReviewTopology.ITEMS_STORE);
    List<ReviewItem> page = new ArrayList<>();
    String next = null;
    long size = 0;
    try (KeyValueIterator<String, String> all = queue.all()) {
      while (all.hasNext() && size < MAX_COUNTED) {
        KeyValue<String, String> kv = all.next();
        size++;
        if (after != null && kv.key.compareTo(after) <= 0) {
          continue;
        }
        if (page.size() < limit) {
          ReviewItem item = items.get(kv.value);
          if (item != null && item.pending()) {
            page.add(item);
          }
        } else if (next == null) {
          next = ReviewTopology.queueKey(page.get(page.size() - 1));
        }
      }
      return new Page(page, next, size, all.hasNext());
    } catch (InvalidStateStoreException e) {
      throw new Unavailable("the review store is not queryable now: " + e.getMessage(), null);
    }
  }

  /** The item of {@code requestId}, if this instance's ledger knows it. */
  public Optional<ReviewItem> item(String requestId) {
    try {
      return Optional.ofNullable(this.<ReviewItem>store(ReviewTopology.ITEMS_STORE).get(requestId));
    } catch (InvalidStateStoreException e) {
      throw new Unavailable("the review store is not queryable now: " + e.getMessage(), null);
    }
  }

  /** The labels seen in responses of {@code model}, sorted. */
  public List<String> labels(String model) {
    if (model == null) {
      return List.of();
    }
    try {
      LabelSet set = this.<LabelSet>store(ReviewTopology.LABELS_STORE).get(model);
      return set == null ? List.of() : set.labels();
    } catch (InvalidStateStoreException e) {
      throw new Unavailable("the review store is not queryable now: " + e.getMessage(), null);
    }
  }

  private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
    KeyQueryMetadata meta;
    try {
      meta = streams.queryMetadataForKey(name, "", Serdes.String().serializer());
    } catch (IllegalStateException e) {
      throw new Unavailable("the review application is not running: " + e.getMessage(), null);
    }
    if (meta == null || KeyQueryMetadata.NOT_AVAILABLE.equals(meta)) {
      throw new Unavailable("the review store is rebalancing; retry shortly", null);
    }
    if (!meta.activeHost().equals(self)) {
      throw new Unavailable(
          "the review queue is held by the instance at "
              + meta.activeHost().host()
              + ":"
              + meta.activeHost().port()
              + "; open the console there",
          meta.activeHost());
    }
    return streams.store(
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
            .withPartition(meta.partition()));
  }

  /** The queue cannot be read here now: why, and the instance that holds it when known. */
  public static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient HostInfo owner;

    public Unavailable(String reason, HostInfo owner) {
      super(reason);
      this.owner = owner;
    }

    /** The instance holding the queue, or null when unknown. */
    public HostInfo owner() {
      return owner;
    }
  }
}
