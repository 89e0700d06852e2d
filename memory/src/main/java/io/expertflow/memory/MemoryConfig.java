package io.expertflow.memory;

/**
 * Settings of a {@link DocumentMemory}, validated when built. The HNSW settings apply to segments
 * written from now on; an index written with other settings still opens and answers.
 *
 * @param dimension values per embedding; every entry and query must have exactly this many
 * @param maxConn HNSW: neighbours kept per graph node (Lucene's {@code maxConn}, "M"); more costs
 *     memory and build time and raises recall
 * @param beamWidth HNSW: candidates examined while inserting a node ({@code beamWidth}, "ef
 *     construction"); more costs build time and raises recall
 * @param numCandidates candidates the graph search keeps per segment before the best {@code k} are
 *     returned ("ef search"); never fewer than {@code k}; more costs latency and raises recall
 * @param ramBufferMb indexing buffer in MiB before a segment is written; larger means fewer, larger
 *     segments (fewer graphs to search) and more heap while indexing
 */
public record MemoryConfig(
    int dimension, int maxConn, int beamWidth, int numCandidates, double ramBufferMb) {
  /** MiniLM's embedding size. */
  public static final int DEFAULT_DIMENSION = 384;

  public static final int DEFAULT_MAX_CONN = 16;
  public static final int DEFAULT_BEAM_WIDTH = 100;

  /**
   * With the default graph, recall@10 of 0.95 on a million clustered 384-d vectors (100 gives 0.88
   * there, 0.98 at 10,000; docs/MEMORY.md).
   */
  public static final int DEFAULT_NUM_CANDIDATES = 200;

  public static final double DEFAULT_RAM_BUFFER_MB = 64;

  /** Lucene's limits for the HNSW graph and float vectors. */
  static final int MAX_MAX_CONN = 512;

  static final int MAX_BEAM_WIDTH = 3200;
  static final int MAX_DIMENSION = 1024;

  public MemoryConfig {
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "dimension must be in [1, " + MAX_DIMENSION + "], was " + dimension);
    }
    if (maxConn < 2 || maxConn > MAX_MAX_CONN) {
      throw new IllegalArgumentException(
          "maxConn must be in [2, " + MAX_MAX_CONN + "], was " + maxConn);
    }
    if (beamWidth < 1 || beamWidth > MAX_BEAM_WIDTH) {
      throw new IllegalArgumentException(
          "beamWidth must be in [1, " + MAX_BEAM_WIDTH + "], was " + beamWidth);
    }
    if (numCandidates < 1) {
      throw new IllegalArgumentException("numCandidates must be >= 1, was " + numCandidates);
    }
    if (!(ramBufferMb >= 1 && ramBufferMb <= 2048)) {
      throw new IllegalArgumentException("ramBufferMb must be in [1, 2048], was " + ramBufferMb);
    }
  }

  /** The defaults for embeddings of {@code dimension} values. */
  public static MemoryConfig defaults(int dimension) {
    return new MemoryConfig(
        dimension,
        DEFAULT_MAX_CONN,
        DEFAULT_BEAM_WIDTH,
        DEFAULT_NUM_CANDIDATES,
        DEFAULT_RAM_BUFFER_MB);
  }

  public MemoryConfig withGraph(int maxConn, int beamWidth) {
    return new MemoryConfig(dimension, maxConn, beamWidth, numCandidates, ramBufferMb);
  }

  public MemoryConfig withNumCandidates(int numCandidates) {
    return new MemoryConfig(dimension, maxConn, beamWidth, numCandidates, ramBufferMb);
  }

  public MemoryConfig withRamBufferMb(double ramBufferMb) {
    return new MemoryConfig(dimension, maxConn, beamWidth, numCandidates, ramBufferMb);
  }
}
