package io.expertflow.memory.feed;

import io.expertflow.memory.FusionConfig;
import io.expertflow.memory.MemoryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A component's document memory settings ({@link MemoryKeys}).
 *
 * @param enabled whether the component keeps a memory at all
 * @param dir the index folder
 * @param neighbours k, the nearest earlier documents looked up per query
 * @param fusion how their labels are fused with the head's probabilities
 * @param retention documents answered longer ago leave the index
 * @param numCandidates HNSW candidates per segment at query time
 * @param dimension values per embedding where no encoder tells (the streams app)
 */
public record MemorySettings(
    boolean enabled,
    Path dir,
    int neighbours,
    FusionConfig fusion,
    Duration retention,
    int numCandidates,
    int dimension) {
  public MemorySettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(fusion, "fusion");
    Objects.requireNonNull(retention, "retention");
    if (neighbours < 1) {
      throw new IllegalArgumentException("memory.neighbours must be >= 1, was " + neighbours);
    }
  }

  /** Memory off (the default). */
  public static MemorySettings disabled() {
    return new MemorySettings(
        false,
        Path.of(System.getProperty("java.io.tmpdir"), "expertflow-memory"),
        10,
        FusionConfig.defaults(),
        Duration.ofDays(90),
        MemoryConfig.DEFAULT_NUM_CANDIDATES,
        MemoryConfig.DEFAULT_DIMENSION);
  }

  /** The same settings with the memory on, in {@code dir}. */
  public MemorySettings enabledIn(Path dir) {
    return new MemorySettings(true, dir, neighbours, fusion, retention, numCandidates, dimension);
  }

  /** The index settings for embeddings of {@code dimension} values. */
  public MemoryConfig index(int dimension) {
    return MemoryConfig.defaults(dimension).withNumCandidates(numCandidates);
  }
}
