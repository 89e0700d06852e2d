package io.expertflow.memory.feed;

import static io.expertflow.schemas.settings.SettingType.BOOLEAN;
import static io.expertflow.schemas.settings.SettingType.DOUBLE;
import static io.expertflow.schemas.settings.SettingType.DURATION;
import static io.expertflow.schemas.settings.SettingType.INT;
import static io.expertflow.schemas.settings.SettingType.STRING;

import io.expertflow.memory.FusionConfig;
import io.expertflow.memory.MemoryConfig;
import io.expertflow.schemas.settings.SettingKey;
import io.expertflow.schemas.settings.SettingValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The document memory's keys, shared by every component that keeps a memory (the worker, which
 * answers with it, and the streams app, which serves {@code /v1/similar}): the one source of their
 * rows in docs/CONFIGURATION.md, their flags and {@code EXPERTFLOW_MEMORY_*} variables.
 */
public final class MemoryKeys {
  public static final SettingKey<Boolean> ENABLED =
      SettingKey.of(
          "memory.enabled",
          BOOLEAN,
          false,
          "Keep a document memory: an on-disk HNSW index of every answered document's embedding,"
              + " fed from the memory topic. The worker then attaches the nearest earlier"
              + " documents to each response and fuses their corrected labels with the head's;"
              + " the streams app serves /v1/similar.");
  public static final SettingKey<String> DIR =
      SettingKey.computed(
          "memory.dir",
          STRING,
          "<temporary folder>/expertflow-memory-<component id>",
          "Folder of the index. Kept across restarts: the index records the topic offsets it has"
              + " applied and resumes from them; an index of another topic of the same name (made"
              + " again, another cluster) is emptied and rebuilt; delete the folder to rebuild"
              + " from the topic.");
  public static final SettingKey<Integer> NEIGHBOURS =
      SettingKey.of(
              "memory.neighbours",
              INT,
              10,
              "Nearest earlier documents attached to a response and fused (k).")
          .requiring(v -> v >= 1 && v <= 100, "between 1 and 100");
  public static final SettingKey<Double> FUSION_WEIGHT =
      SettingKey.of(
              "memory.fusion.weight",
              DOUBLE,
              FusionConfig.DEFAULT_WEIGHT,
              "w in labels = (1 - w) * head + w * neighbours' corrected labels; 0 attaches the"
                  + " neighbours without changing any label. Choose it on your own traffic"
                  + " (docs/MEMORY.md).")
          .requiring(v -> v >= 0 && v <= 1, "in [0, 1]");
  public static final SettingKey<Double> FUSION_TEMPERATURE =
      SettingKey.of(
              "memory.fusion.temperature",
              DOUBLE,
              FusionConfig.DEFAULT_TEMPERATURE,
              "Softmax temperature over the voting neighbours' similarities.")
          .requiring(v -> v > 0 && Double.isFinite(v), "a finite number > 0");
  public static final SettingKey<Double> SIMILARITY_FLOOR =
      SettingKey.of(
              "memory.similarity.floor",
              DOUBLE,
              FusionConfig.DEFAULT_SIMILARITY_FLOOR,
              "A neighbour's corrected label votes only at this cosine similarity or above.")
          .requiring(v -> v >= -1 && v <= 1, "in [-1, 1]");
  public static final SettingKey<Double> NEAR_DUPLICATE =
      SettingKey.of(
              "memory.near.duplicate.threshold",
              DOUBLE,
              FusionConfig.DEFAULT_NEAR_DUPLICATE_THRESHOLD,
              "The nearest earlier document at this cosine similarity or above flags the response"
                  + " as a near-duplicate.")
          .requiring(v -> v >= -1 && v <= 1, "in [-1, 1]");
  public static final SettingKey<Duration> RETENTION =
      SettingKey.of(
              "memory.retention",
              DURATION,
              Duration.ofDays(90),
              "Documents answered longer ago leave the index (checked every minute and when"
                  + " replaying); the memory topic's retention.ms should be the same.")
          .requiring(d -> !d.isNegative() && !d.isZero(), "more than 0");
  public static final SettingKey<Integer> NUM_CANDIDATES =
      SettingKey.of(
              "memory.num.candidates",
              INT,
              MemoryConfig.DEFAULT_NUM_CANDIDATES,
              "HNSW candidates kept per segment at query time (ef search); recall against speed.")
          .requiring(v -> v >= 1, "at least 1");

  public static final SettingKey<Integer> DIMENSION =
      SettingKey.of(
              "memory.dimension",
              INT,
              MemoryConfig.DEFAULT_DIMENSION,
              "Values per embedding, for a memory that runs without the encoder (the streams"
                  + " app's /v1/similar); a worker takes its encoder's.")
          .requiring(v -> v >= 1, "at least 1");

  /** Every key, for a component's setting table. */
  public static final List<SettingKey<?>> KEYS =
      List.of(
          ENABLED,
          DIR,
          NEIGHBOURS,
          FUSION_WEIGHT,
          FUSION_TEMPERATURE,
          SIMILARITY_FLOOR,
          NEAR_DUPLICATE,
          RETENTION,
          NUM_CANDIDATES,
          DIMENSION);

  private MemoryKeys() {}

  /**
   * The memory settings from bound values.
   *
   * @param componentId names the default folder (a worker id, an application id)
   */
  public static MemorySettings settings(SettingValues v, String componentId) {
    Path dir =
        v.given(DIR)
            .map(Path::of)
            .orElseGet(
                () ->
                    Path.of(
                        System.getProperty("java.io.tmpdir"), "expertflow-memory-" + componentId));
    return new MemorySettings(
        v.get(ENABLED),
        dir,
        v.get(NEIGHBOURS),
        new FusionConfig(
            v.get(FUSION_WEIGHT),
            v.get(FUSION_TEMPERATURE),
            v.get(SIMILARITY_FLOOR),
            FusionConfig.DEFAULT_PREDICTED_LABELS_VOTE,
            v.get(NEAR_DUPLICATE)),
        v.get(RETENTION),
        v.get(NUM_CANDIDATES),
        v.get(DIMENSION));
  }
}
