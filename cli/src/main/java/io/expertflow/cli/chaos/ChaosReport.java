package io.expertflow.cli.chaos;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/** What a chaos run prints at its end: the ledger's counts, each fault's effect, per kind. */
public final class ChaosReport {
  private ChaosReport() {}

  /**
   * One fault with what it did to the throughput; {@code afterLoad}: applied once the load had
   * ended, so there is no rate to judge it by.
   */
  public record FaultEffect(
      FaultInjector.Applied fault, ThroughputTimeline.Effect effect, boolean afterLoad) {

    /** Judged: applied during the load, with outcomes in the seconds before it. */
    boolean judged() {
      return !afterLoad && effect.baseline() > 0;
    }
  }

  /**
   * Judges every applied fault against the timeline, up to the load's end ({@code loadSeconds}):
   * once the sender stops, the rate falls as the last requests are answered, which is the end of
   * the load, not a dip. So a fault whose rate is not back when the load ends reads "not back", and
   * a fault applied at or after the load's end is not judged.
   */
  public static List<FaultEffect> effects(
      List<FaultInjector.Applied> applied, ThroughputTimeline timeline, int loadSeconds) {
    List<FaultEffect> effects = new ArrayList<>();
    for (FaultInjector.Applied a : applied) {
      effects.add(
          new FaultEffect(a, timeline.effect(a.second(), loadSeconds), a.second() >= loadSeconds));
    }
    return effects;
  }

  /** Prints the per-fault table and the per-kind summary. */
  public static void printFaults(List<FaultEffect> effects, PrintWriter out) {
    out.println("faults (recovery: from the fault until responses are back at 80% of the rate of");
    out.println("the 10 s before it; dip: the lowest second meanwhile, as a share of that rate)");
    out.printf(
        Locale.ROOT,
        "  %-16s %-12s %6s %10s %10s %6s%n",
        "kind",
        "target",
        "at s",
        "rate/s",
        "recovery",
        "dip");
    for (FaultEffect e : effects) {
      out.printf(
          Locale.ROOT,
          "  %-16s %-12s %6d %10.1f %10s %5.0f%%%n",
          e.fault().kind().label(),
          e.fault().target(),
          e.fault().second(),
          e.effect().baseline(),
          e.judged() ? seconds(e.effect().recoveredAfterS()) : "n/a",
          100 * e.effect().dip());
    }
    Map<FaultKind, List<FaultEffect>> byKind = new EnumMap<>(FaultKind.class);
    effects.forEach(e -> byKind.computeIfAbsent(e.fault().kind(), k -> new ArrayList<>()).add(e));
    out.println("per kind");
    out.printf(
        Locale.ROOT,
        "  %-16s %6s %14s %14s %14s%n",
        "kind",
        "count",
        "recovery mean",
        "recovery max",
        "deepest dip");
    byKind.forEach(
        (kind, all) -> {
          // not judged: a fault with no outcomes in the 10 s before it (another fault's outage),
          // and one applied after the load
          List<FaultEffect> list = all.stream().filter(FaultEffect::judged).toList();
          long afterLoad = all.stream().filter(FaultEffect::afterLoad).count();
          long noRate = all.size() - list.size() - afterLoad;
          long recovered =
              list.stream().filter(e -> e.effect().recoveredAfterS().isPresent()).count();
          double mean =
              list.stream()
                  .filter(e -> e.effect().recoveredAfterS().isPresent())
                  .mapToLong(e -> e.effect().recoveredAfterS().getAsLong())
                  .average()
                  .orElse(Double.NaN);
          long max =
              list.stream()
                  .mapToLong(e -> e.effect().recoveredAfterS().orElse(Long.MAX_VALUE))
                  .max()
                  .orElse(0);
          double dip = list.stream().mapToDouble(e -> e.effect().dip()).min().orElse(1);
          String notes =
              (recovered < list.size() ? "  " + (list.size() - recovered) + " not recovered" : "")
                  + (noRate > 0 ? "  " + noRate + " not judged (no rate before it)" : "")
                  + (afterLoad > 0
                      ? "  " + afterLoad + " not judged (applied after the load)"
                      : "");
          out.printf(
              Locale.ROOT,
              "  %-16s %6d %14s %14s %13.0f%%%s%n",
              kind.label(),
              all.size(),
              Double.isNaN(mean) ? "n/a" : String.format(Locale.ROOT, "%.1fs", mean),
              list.isEmpty() ? "n/a" : max == Long.MAX_VALUE ? "not recovered" : max + " s",
              100 * dip,
              notes);
        });
  }

  /**
   * The throughput during the load (outcomes per second after the first 5 s) and its lowest second,
   * against the offered {@code rate}.
   */
  public static void printDip(
      ThroughputTimeline timeline, int seconds, double rate, PrintWriter out) {
    long total = 0;
    long lowest = Long.MAX_VALUE;
    int lowestAt = -1;
    for (int s = 5; s < seconds; s++) {
      total += timeline.at(s);
      if (timeline.at(s) < lowest) {
        lowest = timeline.at(s);
        lowestAt = s;
      }
    }
    double mean = seconds > 5 ? total / (double) (seconds - 5) : 0;
    out.printf(
        "throughput during the load: mean %.1f outcomes/s (offered %.0f/s); lowest second %d/s at %d s (%.0f%% of offered)%n",
        mean,
        rate,
        lowest == Long.MAX_VALUE ? 0 : lowest,
        lowestAt,
        100.0 * (lowest == Long.MAX_VALUE ? 0 : lowest) / rate);
  }

  private static String seconds(OptionalLong s) {
    return s.isPresent() ? s.getAsLong() + " s" : "not back";
  }
}
