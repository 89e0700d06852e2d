package io.expertflow.streams.status;

import java.util.Objects;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Finds the status of a request: here, on another instance, or nowhere. Implementations are
 * thread-safe; the HTTP server calls them from its worker threads.
 */
@FunctionalInterface
public interface StatusLookup {

  /** Where the status of {@code requestId} is, or that it is unknown. */
  Result find(String requestId);

  /** A lookup in one local store, for a single instance (every key is local). */
  static StatusLookup local(ReadOnlyKeyValueStore<String, RequestStatus> store) {
    Objects.requireNonNull(store, "store");
    return requestId -> {
      try {
        RequestStatus status = store.get(requestId);
        return status == null ? new Missing() : new Found(status);
      } catch (InvalidStateStoreException e) {
        return new Unavailable("the status store is not queryable now: " + e.getMessage());
      }
    };
  }

  /** The outcome of a lookup. */
  sealed interface Result permits Found, Missing, Elsewhere, Unavailable {}

  /** The status, from a local store. */
  record Found(RequestStatus status) implements Result {}

  /** No instance knows the request. */
  record Missing() implements Result {}

  /** Another instance owns the key; ask it at {@code host:port}. */
  record Elsewhere(String host, int port) implements Result {}

  /** The store cannot answer now (rebalance, restoring); try again shortly. */
  record Unavailable(String reason) implements Result {}
}
