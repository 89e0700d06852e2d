package io.expertflow.cli.chaos;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How {@code expertflow chaos} shapes its bursts and what it holds them to: latency and memory. */
final class BurstOptions {
  @Option(
      names = "--burst-seconds",
      defaultValue = "10",
      description = "How long a burst lasts (default: ${DEFAULT-VALUE}).")
  int burstSeconds;

  @Option(
      names = "--burst-factor",
      defaultValue = "10",
      description =
          "The sender's rate in a burst, as a multiple of --rate (default: ${DEFAULT-VALUE}).")
  double burstFactor;

  @Option(
      names = "--burst-high-share",
      defaultValue = "0.1",
      description =
          "Share of the burst's requests sent at priority 9 with --deadline; the others go at"
              + " priority 0 with --burst-low-deadline (default: ${DEFAULT-VALUE}).")
  double burstHighShare;

  @Option(
      names = "--burst-low-deadline",
      defaultValue = "PT3S",
      description =
          "Deadline of the burst's low-priority requests, after their submission (default:"
              + " ${DEFAULT-VALUE}).")
  Duration burstLowDeadline;

  @Option(
      names = "--high-priority-p99-bound",
      defaultValue = "PT5S",
      description =
          "Bound on the p99 latency (send to committed outcome) of the bursts' priority-9"
              + " requests (default: ${DEFAULT-VALUE}).")
  Duration highPriorityP99Bound;

  @Option(
      names = "--native-allowance-mib",
      defaultValue = "640",
      description =
          "Memory a worker may use beyond its heap (-Xmx384m): the bound on its resident set is"
              + " the sum (default: ${DEFAULT-VALUE}).")
  int nativeAllowanceMib;

  /** Whether the burst is one the sender can make: at least a second, rate not lowered, a share. */
  boolean valid() {
    return burstSeconds >= 1 && burstFactor >= 1 && burstHighShare >= 0 && burstHighShare <= 1;
  }
}
