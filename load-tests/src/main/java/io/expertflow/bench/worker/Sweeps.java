package io.expertflow.bench.worker;

import java.util.List;

/**
 * What {@link WorkerThroughputBenchmark} measures after the rounds.
 *
 * @param openLoopFractions open-loop arrival rates as fractions of the worker's median rate
 * @param openLoopDocuments requests per open-loop rate
 * @param lengths chunks per document of the length sweep (empty: no length sweep)
 * @param lengthChunks chunks per length (documents = this / length)
 */
public record Sweeps(
    List<Double> openLoopFractions,
    int openLoopDocuments,
    List<Integer> lengths,
    int lengthChunks) {
  public Sweeps {
    openLoopFractions = List.copyOf(openLoopFractions);
    lengths = List.copyOf(lengths);
    for (double f : openLoopFractions) {
      if (!(f > 0 && f <= 2)) {
        throw new IllegalArgumentException(
            "open-loop fractions must lie in (0, 2] of the measured maximum, was " + f);
      }
    }
    for (int n : lengths) {
      if (n < 1 || n > LengthDocuments.MAX_CHUNKS) {
        throw new IllegalArgumentException(
            "document lengths must be 1 to " + LengthDocuments.MAX_CHUNKS + " chunks, was " + n);
      }
    }
    if (openLoopDocuments < 1 || lengthChunks < 1) {
      throw new IllegalArgumentException(
          "open-loop documents and chunks per length must be at least 1, were "
              + openLoopDocuments
              + " and "
              + lengthChunks);
    }
  }

  public static Sweeps defaults() {
    return new Sweeps(List.of(0.25, 0.5, 0.8, 0.95), 400, List.of(1, 4, 16, 32), 512);
  }
}
