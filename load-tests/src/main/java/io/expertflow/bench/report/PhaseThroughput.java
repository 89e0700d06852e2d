package io.expertflow.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Documents per second of one phase of a run: the median of its rounds and each round's value (no
 * rounds for the whole pipeline, which the file carries as a median only).
 */
public record PhaseThroughput(PhaseThroughput.Phase phase, double median, List<Double> rounds) {

  /** The phases a run may time, in the order the report shows them. */
  public enum Phase {
    CEILING("ceiling", "engine alone (ceiling)"),
    WORKER("worker", "expertflow worker"),
    PIPELINE("pipeline", "whole pipeline"),
    NAIVE("naive", "naive Kafka Streams");

    private final String key;
    private final String title;

    Phase(String key, String title) {
      this.key = key;
      this.title = title;
    }

    /** The phase's name in the JSON. */
    public String key() {
      return key;
    }

    public String title() {
      return title;
    }
  }

  /** The phases the run measured; a phase without a figure is left out. */
  public static List<PhaseThroughput> of(BenchResult result) {
    List<BenchResult.Round> rounds = result.rounds();
    List<PhaseThroughput> phases = new ArrayList<>();
    fromRounds(Phase.CEILING, rounds, BenchResult.Round::ceiling, phases);
    fromRounds(Phase.WORKER, rounds, BenchResult.Round::worker, phases);
    result
        .pipelineDocumentsPerSecond()
        .ifPresent(rate -> phases.add(new PhaseThroughput(Phase.PIPELINE, rate, List.of())));
    fromRounds(Phase.NAIVE, rounds, BenchResult.Round::naive, phases);
    return phases;
  }

  private static void fromRounds(
      Phase phase,
      List<BenchResult.Round> rounds,
      ToDoubleFunction<BenchResult.Round> rate,
      List<PhaseThroughput> into) {
    List<Double> values =
        rounds.stream().mapToDouble(rate).filter(Double::isFinite).boxed().toList();
    if (!values.isEmpty()) {
      into.add(new PhaseThroughput(phase, median(values), values));
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
