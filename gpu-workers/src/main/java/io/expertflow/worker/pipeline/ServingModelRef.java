package io.expertflow.worker.pipeline;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link ServingModel}, swapped atomically. A batch reads it once when it starts, so
 * every document of a batch is answered by one version and a swap never touches a running batch.
 * The replaced session is closed once no batch can still be using it ({@link #retire}).
 */
public final class ServingModelRef {
  private static final Logger LOG = LoggerFactory.getLogger(ServingModelRef.class);
  private final AtomicReference<ServingModel> current;

  public ServingModelRef(ServingModel initial) {
    this.current = new AtomicReference<>(initial);
  }

  public ServingModel current() {
    return current.get();
  }

  /** Serves {@code next} from the next batch on; returns the model it replaced. */
  public ServingModel swap(ServingModel next) {
    ServingModel previous = current.getAndSet(next);
    LOG.info("now serving {} version {} (was {})", next.name(), next.version(), previous.version());
    return previous;
  }

  /** Closes a replaced model's session. Call after the batches that used it have finished. */
  public static void retire(ServingModel model) {
    try {
      model.head().close();
    } catch (RuntimeException e) {
      LOG.warn("closing the session of version {} failed: {}", model.version(), e.toString());
    }
  }
}
