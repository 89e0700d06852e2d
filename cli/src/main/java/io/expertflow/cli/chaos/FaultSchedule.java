package io.expertflow.cli.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * When each fault of a run starts, as an offset from the start of the load. The faults are spread
 * evenly over the middle of the run (none in its first or last tenth, so every fault has a
 * throughput before it to compare with and time after it to recover), kinds interleaved.
 */
public final class FaultSchedule {

  /** One planned fault. */
  public record Planned(Duration at, FaultKind kind) {}

  private final List<Planned> faults;

  private FaultSchedule(List<Planned> faults) {
    this.faults = List.copyOf(faults);
  }

  /**
   * Parses {@code kind:count,...} (e.g. {@code worker-kill:3,broker-kill:2}).
   *
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static Map<FaultKind, Integer> parseCounts(String spec) {
    Map<FaultKind, Integer> counts = new EnumMap<>(FaultKind.class);
    if (spec == null || spec.isBlank()) {
      return counts;
    }
    for (String part : spec.split(",")) {
      String[] kv = part.split(":");
      if (kv.length != 2) {
        throw new IllegalArgumentException(
            "fault '" + part + "' is not kind:count, e.g. worker-kill:3");
      }
      int n;
      try {
        n = Integer.parseInt(kv[1].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("count of '" + part + "' is not a number", e);
      }
      if (n < 0) {
        throw new IllegalArgumentException("count of '" + part + "' must be 0 or more");
      }
      counts.merge(FaultKind.of(kv[0]), n, Integer::sum);
    }
    return counts;
  }

  /** Spreads {@code counts} over a load of {@code length}, kinds taking turns. */
  public static FaultSchedule spread(Map<FaultKind, Integer> counts, Duration length) {
    Map<FaultKind, Integer> left = new EnumMap<>(counts);
    List<FaultKind> order = new ArrayList<>();
    boolean any = true;
    while (any) {
      any = false;
      for (FaultKind k : FaultKind.values()) {
        int n = left.getOrDefault(k, 0);
        if (n > 0) {
          order.add(k);
          left.put(k, n - 1);
          any = true;
        }
      }
    }
    long start = length.toMillis() / 10;
    long span = length.toMillis() - 2 * start;
    List<Planned> planned = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      planned.add(
          new Planned(
              Duration.ofMillis(start + span * i / Math.max(1, order.size())), order.get(i)));
    }
    return new FaultSchedule(planned);
  }

  public List<Planned> faults() {
    return faults;
  }
}
