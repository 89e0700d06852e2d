package io.expertflow.bench.memory;

import java.util.PriorityQueue;
import java.util.stream.IntStream;

/**
 * Brute-force k nearest neighbours by dot product: the ground truth that recall is measured
 * against. Queries run in parallel over the common pool, each scanning every stored row.
 */
final class ExactSearch {
  private ExactSearch() {}

  /** For each query row, the row numbers of its {@code k} nearest stored rows. */
  static int[][] nearest(float[] stored, float[] queries, int dim, int k) {
    int n = stored.length / dim;
    int q = queries.length / dim;
    int[][] result = new int[q][];
    IntStream.range(0, q)
        .parallel()
        .forEach(
            j -> {
              PriorityQueue<double[]> best =
                  new PriorityQueue<>(k + 1, (a, b) -> Double.compare(a[0], b[0]));
              int qo = j * dim;
              for (int r = 0; r < n; r++) {
                int ro = r * dim;
                float s = 0;
                for (int i = 0; i < dim; i++) {
                  s += stored[ro + i] * queries[qo + i];
                }
                if (best.size() < k) {
                  best.add(new double[] {s, r});
                } else if (s > best.peek()[0]) {
                  best.poll();
                  best.add(new double[] {s, r});
                }
              }
              result[j] = best.stream().mapToInt(a -> (int) a[1]).toArray();
            });
    return result;
  }
}
