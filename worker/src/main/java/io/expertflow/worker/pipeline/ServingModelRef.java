package io.expertflow.worker.pipeline;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link ServingModel}, swapped atomically, with reference counting so that a replaced
 * session is closed exactly when the last batch that uses it has finished.
 *
 * <p>A head batch takes a {@link Lease} when it starts ({@link #acquire}), runs on the lease's
 * model and closes the lease when done, so every document of a batch is answered by one version and
 * a swap never touches a running batch. {@link #swap} makes the next lease see the new model and
 * retires the old one: its session is closed at once if no lease holds it, else by the thread that
 * releases the last lease.
 *
 * <p>Thread-safe: any thread may acquire, release and swap.
 */
public final class ServingModelRef {
  private static final Logger LOG = LoggerFactory.getLogger(ServingModelRef.class);
  private static final int RETIRED = 1 << 30;

  private final AtomicReference<Slot> current;

  public ServingModelRef(ServingModel initial) {
    this.current = new AtomicReference<>(new Slot(Objects.requireNonNull(initial, "initial")));
  }

  /**
   * The model served now, for its name, version and labels. Do not run its session through this
   * method: a concurrent swap may close it; use {@link #acquire}.
   */
  public ServingModel current() {
    return current.get().model;
  }

  /** Leases the current model for one batch. Close the lease when the batch is done. */
  public Lease acquire() {
    while (true) {
      Slot slot = current.get();
      if (slot.tryAcquire()) {
        return new Lease(slot);
      }
      // the slot was retired between reading and leasing it: a newer one is already current
    }
  }

  /**
   * Serves {@code next} from the next lease on and retires the model it replaces.
   *
   * @return completes with the replaced model once its session is closed
   */
  public CompletableFuture<ServingModel> swap(ServingModel next) {
    Slot previous = current.getAndSet(new Slot(Objects.requireNonNull(next, "next")));
    LOG.info(
        "now serving {} version {} (was {})",
        next.name(),
        next.version(),
        previous.model.version());
    previous.retire();
    return previous.closed;
  }

  /** One batch's hold on a model; closing it twice is harmless. */
  public static final class Lease implements AutoCloseable {
    private final Slot slot;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(Slot slot) {
      this.slot = slot;
    }

    public ServingModel model() {
      return slot.model;
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        slot.release();
      }
    }
  }

  /** A model with its lease count; the RETIRED bit is set once, when it is swapped out. */
  private static final class Slot {
    final ServingModel model;
    final AtomicInteger state = new AtomicInteger();
    final CompletableFuture<ServingModel> closed = new CompletableFuture<>();

    Slot(ServingModel model) {
      this.model = model;
    }

    boolean tryAcquire() {
      while (true) {
        int s = state.get();
        if ((s & RETIRED) != 0) {
          return false;
        }
        if (state.compareAndSet(s, s + 1)) {
          return true;
        }
      }
    }

    void release() {
      if (state.decrementAndGet() == RETIRED) {
        close();
      }
    }

    void retire() {
      if (state.getAndUpdate(s -> s | RETIRED) == 0) {
        close();
      }
    }

    private void close() {
      try {
        model.head().close();
        LOG.info("closed the session of {} version {}", model.name(), model.version());
      } catch (RuntimeException e) {
        LOG.warn("closing the session of version {} failed: {}", model.version(), e.toString());
      } finally {
        closed.complete(model);
      }
    }
  }
}
