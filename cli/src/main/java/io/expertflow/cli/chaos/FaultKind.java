package io.expertflow.cli.chaos;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The faults {@code expertflow chaos} injects, each named as on its command line. */
public enum FaultKind {
  // the order is the order in which the kinds take turns in a run (FaultSchedule): a burst comes
  // first, so it meets a pipeline that no other fault has slowed yet
  /** The sender at a multiple of the rate for a while, with mixed priorities and deadlines. */
  BURST("burst"),
  /** SIGKILL of a worker, restarted with the same id after a pause. */
  WORKER_KILL("worker-kill"),
  /** SIGKILL of the streams app, restarted on the same state folder after a pause. */
  STREAMS_KILL("streams-kill"),
  /** Extra workers join and leave (one SIGKILLed, the next started) every few seconds. */
  REBALANCE_STORM("rebalance-storm"),
  /** SIGKILL of a Kafka node, started again after a pause; needs a cluster of 3 nodes. */
  BROKER_KILL("broker-kill"),
  /** One worker cut off from the brokers for a while (its relays blackhole), then healed. */
  NETWORK_CUT("network-cut"),
  /** The schema registry unreachable for a while (a gate in front of it is shut). */
  REGISTRY_DOWN("registry-down"),
  /** A model version published (workers hot-load it) and rolled back to the base 10 s later. */
  MODEL_UPDATE("model-update"),
  /**
   * SIGKILL of the updater while it publishes a version (held at a failpoint after the tensors or
   * after the history record), started again to finish the publication.
   */
  UPDATER_KILL("updater-kill");

  private final String label;

  FaultKind(String label) {
    this.label = label;
  }

  /** The name on the command line and in the report. */
  public String label() {
    return label;
  }

  /** The kind named {@code label}; the message lists the known names. */
  public static FaultKind of(String label) {
    String wanted = label.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(k -> k.label.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown fault kind '"
                        + label
                        + "'; known: "
                        + Arrays.stream(values())
                            .map(FaultKind::label)
                            .collect(Collectors.joining(", "))));
  }
}
