package io.expertflow.operators.batching;

import java.lang.System.Logger.Level;
import java.util.function.Consumer;

/** Shields the batcher from a listener that throws: the exception is logged and dropped. */
final class SafeBatchListener implements BatchListener {

  private static final System.Logger LOG = System.getLogger(SafeBatchListener.class.getName());

  private final BatchListener delegate;

  SafeBatchListener(BatchListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void onBatchFormed(BatchStats stats) {
    guard(l -> l.onBatchFormed(stats));
  }

  @Override
  public void onBatchCompleted(BatchCompletion completion) {
    guard(l -> l.onBatchCompleted(completion));
  }

  @Override
  public void onItemExpired(int lane, long queuedNanos) {
    guard(l -> l.onItemExpired(lane, queuedNanos));
  }

  @Override
  public void onItemFailed(Throwable cause, int attempts) {
    guard(l -> l.onItemFailed(cause, attempts));
  }

  @Override
  public void onItemRejected(BatcherException reason) {
    guard(l -> l.onItemRejected(reason));
  }

  private void guard(Consumer<BatchListener> call) {
    try {
      call.accept(delegate);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "batch listener " + delegate.getClass().getName() + " failed", e);
    }
  }
}
