package io.expertflow.worker;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.ResponseStatus;

/**
 * Events of the worker's delivery loop, for metrics and progress displays. Called on the poll
 * thread; implementations must be quick and must not throw.
 */
public interface WorkerListener {
  WorkerListener NONE = new WorkerListener() {};

  default void polled(int records) {}

  default void answered(ResponseStatus status, long endToEndMs) {}

  default void deadLettered(DeadLetterReason reason) {}

  default void committed(int records, long commitNanos) {}

  default void paused(int inFlight) {}

  default void resumed(int inFlight) {}

  default void aborted(Throwable cause) {}
}
