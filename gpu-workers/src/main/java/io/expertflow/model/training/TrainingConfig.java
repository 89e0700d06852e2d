package io.expertflow.model.training;

import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeTrainingConfig;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a training run needs to know. Immutable and validated when built; use {@link
 * #builder(Path, Path)}.
 *
 * @param cacheDir where corpora tarballs and embedding caches live
 * @param outDir where the model, metrics, replay reservoir and guard set are written
 * @param docsPerLabel at most this many documents per label (before the split); {@link
 *     Integer#MAX_VALUE} for all
 * @param maxChunksPerDoc at most this many leading chunks of each document are embedded
 * @param trainOnChunks also train on each training document's single chunks (labelled like their
 *     document), beside the document embeddings
 * @param guardPerLabel test documents per label copied into the guard set
 * @param excludedLabels labels kept out of training and validation (their test documents stay)
 * @param experts base experts (E)
 * @param topK experts per document (k)
 * @param expertHidden hidden width of each expert (M)
 * @param domains domain experts (D)
 * @param training the optimiser's settings, including the seed
 * @param npmCommand the npm executable used to fetch corpora
 */
public record TrainingConfig(
    Path cacheDir,
    Path outDir,
    int docsPerLabel,
    int maxChunksPerDoc,
    boolean trainOnChunks,
    int guardPerLabel,
    Set<String> excludedLabels,
    int experts,
    int topK,
    int expertHidden,
    int domains,
    MoeTrainingConfig training,
    String npmCommand) {

  public static final int DEFAULT_DOCS_PER_LABEL = 150;
  public static final int DEFAULT_MAX_CHUNKS_PER_DOC = 8;
  public static final boolean DEFAULT_TRAIN_ON_CHUNKS = true;
  public static final int DEFAULT_GUARD_PER_LABEL = 20;
  public static final String DEFAULT_NPM_COMMAND = "npm";

  public TrainingConfig {
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(outDir, "outDir");
    excludedLabels = Set.copyOf(excludedLabels);
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(npmCommand, "npmCommand");
    require(docsPerLabel > 0, "docsPerLabel must be > 0, was " + docsPerLabel);
    require(maxChunksPerDoc > 0, "maxChunksPerDoc must be > 0, was " + maxChunksPerDoc);
    require(guardPerLabel >= 0, "guardPerLabel must be >= 0, was " + guardPerLabel);
    // the head's own checks run here so that a bad size fails before any fetching
    new MoeHeadConfig(1, experts, topK, expertHidden, domains, java.util.List.of("a", "b"));
  }

  public static Builder builder(Path cacheDir, Path outDir) {
    return new Builder(cacheDir, outDir);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid training config: " + message);
    }
  }

  /** Builds a {@link TrainingConfig} from the defaults. Not thread-safe. */
  public static final class Builder {
    private final Path cacheDir;
    private final Path outDir;
    private int docsPerLabel = DEFAULT_DOCS_PER_LABEL;
    private int maxChunksPerDoc = DEFAULT_MAX_CHUNKS_PER_DOC;
    private boolean trainOnChunks = DEFAULT_TRAIN_ON_CHUNKS;
    private int guardPerLabel = DEFAULT_GUARD_PER_LABEL;
    private Set<String> excludedLabels = Set.of();
    private int experts = MoeHeadConfig.DEFAULT_EXPERTS;
    private int topK = MoeHeadConfig.DEFAULT_TOP_K;
    private int expertHidden = MoeHeadConfig.DEFAULT_EXPERT_HIDDEN;
    private int domains = MoeHeadConfig.DEFAULT_DOMAINS;
    private MoeTrainingConfig training = MoeTrainingConfig.defaults();
    private String npmCommand = DEFAULT_NPM_COMMAND;

    private Builder(Path cacheDir, Path outDir) {
      this.cacheDir = cacheDir;
      this.outDir = outDir;
    }

    public Builder docsPerLabel(int value) {
      docsPerLabel = value;
      return this;
    }

    public Builder maxChunksPerDoc(int value) {
      maxChunksPerDoc = value;
      return this;
    }

    /** Every document and every chunk. */
    public Builder full() {
      docsPerLabel = Integer.MAX_VALUE;
      maxChunksPerDoc = Integer.MAX_VALUE;
      return this;
    }

    public Builder trainOnChunks(boolean value) {
      trainOnChunks = value;
      return this;
    }

    public Builder guardPerLabel(int value) {
      guardPerLabel = value;
      return this;
    }

    public Builder excludedLabels(Set<String> value) {
      excludedLabels = value;
      return this;
    }

    public Builder head(int experts, int topK, int expertHidden, int domains) {
      this.experts = experts;
      this.topK = topK;
      this.expertHidden = expertHidden;
      this.domains = domains;
      return this;
    }

    public Builder training(MoeTrainingConfig value) {
      training = value;
      return this;
    }

    public Builder seed(long value) {
      training = training.withSeed(value);
      return this;
    }

    public Builder npmCommand(String value) {
      npmCommand = value;
      return this;
    }

    public TrainingConfig build() {
      return new TrainingConfig(
          cacheDir,
          outDir,
          docsPerLabel,
          maxChunksPerDoc,
          trainOnChunks,
          guardPerLabel,
          excludedLabels,
          experts,
          topK,
          expertHidden,
          domains,
          training,
          npmCommand);
    }
  }
}
