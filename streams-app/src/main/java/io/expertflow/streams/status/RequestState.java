package io.expertflow.streams.status;

/** Where a request stands; later states outrank earlier ones whatever order updates arrive in. */
public enum RequestState {
  /** Intake accepted it; it waits for a worker. */
  ACCEPTED,
  /** It ended as a dead letter (intake, worker or compliance), see the reason. */
  DEAD_LETTERED,
  /** A worker answered it (OK, EXPIRED or FAILED); a compliance decision follows. */
  ANSWERED
}
