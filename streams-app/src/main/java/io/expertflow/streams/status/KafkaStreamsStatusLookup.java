package io.expertflow.streams.status;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Looks a request up across the instances of the status application: {@link
 * KafkaStreams#queryMetadataForKey} names the instance whose active task holds the key (its {@code
 * application.server}); this instance answers from its store or names the owner. Thread-safe.
 */
public final class KafkaStreamsStatusLookup implements StatusLookup {
  private final KafkaStreams streams;
  private final HostInfo self;

  /**
   * @param streams the running status application
   * @param self this instance's {@code application.server}
   */
  public KafkaStreamsStatusLookup(KafkaStreams streams, HostInfo self) {
    this.streams = streams;
    this.self = self;
  }

  @Override
  public Result find(String requestId) {
    KeyQueryMetadata meta;
    try {
      meta =
          streams.queryMetadataForKey(
              RequestStatusTopology.STORE, requestId, Serdes.String().serializer());
    } catch (IllegalStateException e) {
      return new Unavailable("the status application is not running: " + e.getMessage());
    }
    if (meta == null || KeyQueryMetadata.NOT_AVAILABLE.equals(meta)) {
      return new Unavailable("the status store is rebalancing; retry shortly");
    }
    HostInfo owner = meta.activeHost();
    if (!owner.equals(self)) {
      return new Elsewhere(owner.host(), owner.port());
    }
    try {
      ReadOnlyKeyValueStore<String, RequestStatus> store =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                      RequestStatusTopology.STORE,
                      QueryableStoreTypes.<String, RequestStatus>keyValueStore())
                  .withPartition(meta.partition()));
      RequestStatus status = store.get(requestId);
      return status == null ? new Missing() : new Found(status);
    } catch (InvalidStateStoreException e) {
      return new Unavailable("the status store is not queryable now: " + e.getMessage());
    }
  }
}
