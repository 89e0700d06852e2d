package io.expertflow.model.training;

import io.expertflow.operators.moe.LinearProbe;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeTrainingConfig;
import io.expertflow.operators.update.SelectionConfig;
import io.expertflow.operators.update.UpdateConfig;
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
 * @param guardPerLabel test documents per label copied into the guard set, at least 1 (the updater
 *     refuses an empty guard set)
 * @param heldOutLabels labels left out of head training, validation and test (the shift model):
 *     they stay in the label set, so the head has outputs for them, and their documents are cut
 *     into a traffic pool and an evaluation pool ({@link ShiftPools})
 * @param trafficShare share of each held-out label's documents in the traffic pool
 * @param experts base experts (E)
 * @param topK experts per document (k)
 * @param expertHidden hidden width of each expert (M)
 * @param domains domain experts (D)
 * @param training the optimiser's settings, including the seed
 * @param shiftSelection expert selection of the offline update run after training a shift model
 * @param shiftUpdate settings of that update
 * @param npmCommand the npm executable used to fetch corpora
 * @param baseline which logistic regression the head is compared with ({@link Baseline})
 */
public record TrainingConfig(
    Path cacheDir,
    Path outDir,
    int docsPerLabel,
    int maxChunksPerDoc,
    boolean trainOnChunks,
    int guardPerLabel,
    Set<String> heldOutLabels,
    double trafficShare,
    int experts,
    int topK,
    int expertHidden,
    int domains,
    MoeTrainingConfig training,
    SelectionConfig shiftSelection,
    UpdateConfig shiftUpdate,
    String npmCommand,
    Baseline baseline) {

  public static final int DEFAULT_DOCS_PER_LABEL = 600;

  /** The logistic regression a training run reports beside the head, on the same samples. */
  public enum Baseline {
    /**
     * The regression the head's experts start from ({@link LinearProbe#train}: Adam, the best
     * validation epoch of 40), fitted once for both; when the experts start otherwise, the same
     * recipe fitted for the comparison alone.
     */
    START,
    /**
     * The regression at its best settings ({@link LinearProbe#tuned}: solved to convergence, the L2
     * strength chosen on validation), fitted for the comparison alone; slower.
     */
    TUNED
  }

  /**
   * Chunks per document that training embeds: as many as a worker embeds by default ({@code
   * chunk.max}), so that the document embeddings the head learns from are the ones it is served.
   */
  public static final int DEFAULT_MAX_CHUNKS_PER_DOC =
      io.expertflow.operators.text.ChunkingConfig.DEFAULT_MAX_CHUNKS_PER_DOCUMENT;

  public static final boolean DEFAULT_TRAIN_ON_CHUNKS = true;
  public static final int DEFAULT_GUARD_PER_LABEL = 20;

  /**
   * Hidden width of each expert that {@code expertflow train} gives a head: twice the head's own
   * default ({@link MoeHeadConfig#DEFAULT_EXPERT_HIDDEN}), so that beside the 2 (L - 1) units that
   * hold the logistic regression start (30 with 16 labels) about as many start along the training
   * embeddings' principal directions ({@link #DEFAULT_SPARE_UNITS}) for labels learned later from
   * feedback (docs/FEEDBACK-LOOP.md section 9).
   */
  public static final int DEFAULT_EXPERT_HIDDEN = 64;

  /** How the hidden units the regression start leaves free begin, by default. */
  public static final MoeTrainingConfig.SpareUnits DEFAULT_SPARE_UNITS =
      MoeTrainingConfig.SpareUnits.PRINCIPAL;

  public static final String DEFAULT_NPM_COMMAND = "npm";
  public static final double DEFAULT_TRAFFIC_SHARE = DocumentSplit.DEFAULT_TRAFFIC_SHARE;

  /**
   * Feedback events an expert needs to be updated in the offline shift update. A week of 40
   * documents gives 80 events over some 40 experts, so the service default ({@link
   * SelectionConfig#DEFAULT_MIN_FEEDBACK}, sized for real weekly traffic) would choose none; 4
   * picks the few experts where the new label concentrates.
   */
  public static final long DEFAULT_SHIFT_MIN_FEEDBACK = 4;

  /**
   * The label to hold out for the shift demonstration: Brown genre {@code learned} (scientific and
   * technical writing), the largest Brown genre (80 samples, so 40 traffic and 40 evaluation
   * documents) and one with its own vocabulary, so a week of feedback can teach it.
   */
  public static final String RECOMMENDED_HELD_OUT_LABEL = "learned";

  public TrainingConfig {
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(outDir, "outDir");
    heldOutLabels = Set.copyOf(heldOutLabels);
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(shiftSelection, "shiftSelection");
    Objects.requireNonNull(shiftUpdate, "shiftUpdate");
    Objects.requireNonNull(npmCommand, "npmCommand");
    Objects.requireNonNull(baseline, "baseline");
    require(docsPerLabel > 0, "docsPerLabel must be > 0, was " + docsPerLabel);
    require(maxChunksPerDoc > 0, "maxChunksPerDoc must be > 0, was " + maxChunksPerDoc);
    // the updater refuses a bundle without a guard set (UpdaterBundle), so refuse it here first
    require(
        guardPerLabel >= 1,
        "guardPerLabel must be >= 1, was "
            + guardPerLabel
            + ": the updater refuses a bundle whose guard set is empty");
    require(
        trafficShare > 0 && trafficShare < 1,
        "trafficShare must be in (0, 1) so that both shift pools get documents, was "
            + trafficShare);
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
    private Set<String> heldOutLabels = Set.of();
    private double trafficShare = DEFAULT_TRAFFIC_SHARE;
    private int experts = MoeHeadConfig.DEFAULT_EXPERTS;
    private int topK = MoeHeadConfig.DEFAULT_TOP_K;
    private int expertHidden = DEFAULT_EXPERT_HIDDEN;
    private int domains = MoeHeadConfig.DEFAULT_DOMAINS;
    private MoeTrainingConfig training =
        MoeTrainingConfig.defaults().withSpareUnits(DEFAULT_SPARE_UNITS);
    private SelectionConfig shiftSelection =
        SelectionConfig.defaults().withMinFeedback(DEFAULT_SHIFT_MIN_FEEDBACK);
    private UpdateConfig shiftUpdate = UpdateConfig.defaults();
    private String npmCommand = DEFAULT_NPM_COMMAND;
    private Baseline baseline = Baseline.START;

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

    /** Labels to leave out of head training: the shift model. */
    public Builder heldOutLabels(Set<String> value) {
      heldOutLabels = value;
      return this;
    }

    public Builder trafficShare(double value) {
      trafficShare = value;
      return this;
    }

    public Builder shiftSelection(SelectionConfig value) {
      shiftSelection = value;
      return this;
    }

    public Builder shiftUpdate(UpdateConfig value) {
      shiftUpdate = value;
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

    public Builder baseline(Baseline value) {
      baseline = value;
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
          heldOutLabels,
          trafficShare,
          experts,
          topK,
          expertHidden,
          domains,
          training,
          shiftSelection,
          shiftUpdate,
          npmCommand,
          baseline);
    }
  }
}
