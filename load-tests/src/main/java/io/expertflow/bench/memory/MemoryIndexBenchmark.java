package io.expertflow.bench.memory;

import io.expertflow.cli.FileTrees;
import io.expertflow.memory.DocumentMemory;
import io.expertflow.memory.MemoryConfig;
import io.expertflow.memory.MemoryEntry;
import io.expertflow.memory.Neighbour;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;

/**
 * The document memory's HNSW index on clustered synthetic 384-d vectors ({@link ClusteredVectors}):
 * for each graph setting (maxConn:beamWidth) it builds an index of {@code bench.vectors} entries of
 * one tenant, then for each query-time {@code numCandidates} measures recall@k against exact search
 * ({@link ExactSearch}), single-thread query latency (p50, p99, after a warm-up), and the heap the
 * open index keeps. Prints one Markdown row per setting. Every entry names one encoder and a query
 * names it, as a worker's do; the latency of the same queries filtered on the tenant alone (no
 * encoder named) is measured beside it, the two alternating query by query.
 *
 * <p>System properties: {@code bench.vectors} (10000), {@code bench.dim} (384), {@code
 * bench.clusters} (1000), {@code bench.graphs} ({@code 16:100}), {@code bench.candidates} ({@code
 * 10,50,100,200}), {@code bench.k} (10), {@code bench.recallQueries} (200), {@code
 * bench.latencyQueries} (1000), {@code bench.ramBufferMb} (512), {@code bench.dir} (a temporary
 * folder; each setting's index is written under it and left there).
 */
public final class MemoryIndexBenchmark {
  private static final String TENANT = "bench";
  private static final String ENCODER = "bench-encoder@0123456789abcdef";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private MemoryIndexBenchmark() {}

  public static void main(String[] args) throws IOException {
    int n = Integer.getInteger("bench.vectors", 10_000);
    int dim = Integer.getInteger("bench.dim", 384);
    int k = Integer.getInteger("bench.k", 10);
    int recallQueries = Integer.getInteger("bench.recallQueries", 200);
    int latencyQueries = Integer.getInteger("bench.latencyQueries", 1000);
    double ramBufferMb = Double.parseDouble(System.getProperty("bench.ramBufferMb", "512"));
    String dirProperty = System.getProperty("bench.dir");
    Path root =
        dirProperty != null ? Path.of(dirProperty) : Files.createTempDirectory("memory-bench");
    System.out.println("load average at start: " + loadAverage());

    ClusteredVectors source =
        new ClusteredVectors(42, dim, Integer.getInteger("bench.clusters", 1000), 1.0);
    long t = System.nanoTime();
    float[] data = source.rows(n);
    float[] queries = source.rows(Math.max(recallQueries, latencyQueries));
    System.out.printf(Locale.ROOT, "generated %d vectors in %.1f s%n", n, seconds(t));
    System.out.flush();
    t = System.nanoTime();
    float[] recallRows = Arrays.copyOf(queries, recallQueries * dim);
    int[][] truth = ExactSearch.nearest(data, recallRows, dim, k);
    System.out.printf(
        Locale.ROOT, "exact search of %d queries in %.1f s%n", recallQueries, seconds(t));

    System.out.println(
        "| vectors | maxConn | beamWidth | numCandidates | recall@"
            + k
            + " | p50 ms | p99 ms | tenant only: p50 ms | p99 ms | build s | segments | disk MiB |"
            + " heap MiB |");
    System.out.println(
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
            + " ---: |");
    for (String graph : System.getProperty("bench.graphs", "16:100").split(",")) {
      String[] mb = graph.split(":");
      MemoryConfig config =
          MemoryConfig.defaults(dim)
              .withGraph(Integer.parseInt(mb[0]), Integer.parseInt(mb[1]))
              .withRamBufferMb(ramBufferMb);
      Path folder = root.resolve("m" + mb[0] + "-b" + mb[1] + "-n" + n);
      FileTrees.delete(folder);
      t = System.nanoTime();
      try (DocumentMemory memory = DocumentMemory.open(folder, config)) {
        for (int r = 0; r < n; r++) {
          memory.upsert(
              new MemoryEntry(
                  "d" + r,
                  TENANT,
                  T0.plusSeconds(r),
                  "label",
                  null,
                  ClusteredVectors.row(data, dim, r),
                  ENCODER));
        }
      }
      double build = seconds(t);
      int segments;
      try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(folder))) {
        segments = reader.leaves().size();
      }
      double disk = mib(folder, "");
      for (String c : System.getProperty("bench.candidates", "10,50,100,200").split(",")) {
        System.gc();
        long heapBefore = usedHeap();
        try (DocumentMemory memory =
            DocumentMemory.open(folder, config.withNumCandidates(Integer.parseInt(c)))) {
          for (int q = 0; q < Math.min(200, latencyQueries); q++) {
            float[] query = ClusteredVectors.row(queries, dim, q); // warm-up
            memory.nearest(TENANT, ENCODER, query, k);
            memory.nearest(TENANT, null, query, k);
          }
          long[] nanos = new long[latencyQueries];
          long[] tenantOnly = new long[latencyQueries];
          int found = 0;
          for (int q = 0; q < latencyQueries; q++) {
            float[] query = ClusteredVectors.row(queries, dim, q);
            if (q % 2 == 1) { // which of the two runs first alternates
              tenantOnly[q] = timed(() -> memory.nearest(TENANT, null, query, k));
            }
            long s = System.nanoTime();
            List<Neighbour> hits = memory.nearest(TENANT, ENCODER, query, k);
            nanos[q] = System.nanoTime() - s;
            if (q % 2 == 0) {
              tenantOnly[q] = timed(() -> memory.nearest(TENANT, null, query, k));
            }
            if (q < recallQueries) {
              found += overlap(hits, truth[q]);
            }
          }
          Arrays.sort(tenantOnly);
          System.gc();
          double heap = (usedHeap() - heapBefore) / (1024.0 * 1024.0);
          Arrays.sort(nanos);
          System.out.printf(
              Locale.ROOT,
              "| %,d | %s | %s | %s | %.3f | %.2f | %.2f | %.2f | %.2f | %.1f | %d | %.0f | %.1f |%n",
              n,
              mb[0],
              mb[1],
              c,
              found / (double) (k * recallQueries),
              nanos[latencyQueries / 2] / 1e6,
              nanos[(int) Math.ceil(latencyQueries * 0.99) - 1] / 1e6,
              tenantOnly[latencyQueries / 2] / 1e6,
              tenantOnly[(int) Math.ceil(latencyQueries * 0.99) - 1] / 1e6,
              build,
              segments,
              disk,
              heap);
        }
      }
    }
    System.out.println("load average at end: " + loadAverage());
  }

  /** What a query takes, in nanoseconds. */
  private static long timed(Query query) throws IOException {
    long s = System.nanoTime();
    query.run();
    return System.nanoTime() - s;
  }

  @FunctionalInterface
  private interface Query {
    void run() throws IOException;
  }

  private static int overlap(List<Neighbour> hits, int[] truth) {
    Set<String> exact = new HashSet<>();
    for (int r : truth) {
      exact.add("d" + r);
    }
    int found = 0;
    for (Neighbour h : hits) {
      found += exact.contains(h.requestId()) ? 1 : 0;
    }
    return found;
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double mib(Path folder, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      long bytes = 0;
      for (Path p : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
        bytes += Files.size(p);
      }
      return bytes / (1024.0 * 1024.0);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
