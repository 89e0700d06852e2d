package io.expertflow.model.training;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.corpus.CorpusSet;
import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.operators.moe.ExpertLoad;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.LinearProbe;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadTrainer;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.TrainingResult;
import io.expertflow.operators.update.ShiftFigures;
import io.expertflow.operators.update.ShiftScenario;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Corpora, split, embed (cached), train, evaluate, write. The outputs in {@code outDir}: {@code
 * model/} (written by the {@link ModelExporter}), {@code metrics.json}, {@code report.html}, {@code
 * replay-reservoir.bin} and {@code guard-set.bin}. With held-out labels (a shift model) it also
 * runs the offline weekly update on the traffic pool, measures it on the evaluation pool, and
 * writes {@link ShiftPools#FILE}; the figures go into the report and the metrics. Runs on the
 * calling thread; one run per instance at a time.
 */
public final class TrainingPipeline {
  public static final String MODEL_DIR = ModelBundle.IN_TRAINING_OUTPUT;
  public static final String METRICS_FILE = "metrics.json";
  public static final String RESERVOIR_FILE = "replay-reservoir.bin";
  public static final String GUARD_SET_FILE = "guard-set.bin";

  private final TrainingConfig config;
  private final CorpusSource corpora;
  private final ChunkEmbedder embedder;
  private final ModelExporter exporter;
  private final ProgressListener listener;

  public TrainingPipeline(
      TrainingConfig config,
      CorpusSource corpora,
      ChunkEmbedder embedder,
      ModelExporter exporter,
      ProgressListener listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.corpora = Objects.requireNonNull(corpora, "corpora");
    this.embedder = Objects.requireNonNull(embedder, "embedder");
    this.exporter = Objects.requireNonNull(exporter, "exporter");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Runs the whole pipeline. The outputs are written into a hidden folder beside {@code
   * config.outDir()} and renamed into place at the end: a failed run leaves no output.
   *
   * @throws IllegalArgumentException when the output folder exists and is not empty, or the data
   *     fails its checks
   */
  public TrainingReport run() throws IOException {
    try (StagedOutput staged = StagedOutput.beside(config.outDir())) {
      TrainingReport report = run(staged.folder());
      staged.commit();
      return report;
    }
  }

  private TrainingReport run(Path out) throws IOException {
    Map<String, Long> timings = new LinkedHashMap<>();
    long start = System.nanoTime();

    listener.stage("corpora");
    long t = System.nanoTime();
    CorpusSet set = corpora.load(listener);
    TrainedLabels plan = TrainedLabels.of(set.labels(), config.heldOutLabels());
    Map<Split, List<LabeledDocument>> split =
        DocumentSplit.split(
            set.documents(),
            config.training().seed(),
            config.docsPerLabel(),
            config.heldOutLabels(),
            config.trafficShare());
    if (!set.fixedTest().isEmpty()) {
      split = DocumentSplit.withFixedTest(split, set.fixedTest(), config.heldOutLabels());
    }
    List<String> heldOut = plan.heldOut();
    ShiftPools pools = ShiftPools.of(heldOut, split);
    List<String> trained = plan.trained();
    List<String> indexed = plan.indexed();
    timings.put("corpora", millisSince(t));

    listener.stage("embedding");
    t = System.nanoTime();
    List<LabeledDocument> all = new ArrayList<>();
    split.values().forEach(all::addAll);
    CorpusEmbedder.Embedded embedded;
    String key = embedder.cacheKey() + "|maxChunks=" + config.maxChunksPerDoc();
    try (EmbeddingCache cache =
        EmbeddingCache.open(config.cacheDir().resolve("embeddings"), key, embedder.dimension())) {
      embedded = new CorpusEmbedder(embedder, cache, config.maxChunksPerDoc()).embed(all, listener);
    }
    CorpusEmbedder.Stats stats = embedded.stats();
    listener.info(
        String.format(
            Locale.ROOT,
            "embedding: %d documents, %d chunks (%d embedded now, %d from the cache)",
            stats.documents(),
            stats.chunks(),
            stats.embeddedChunks(),
            stats.chunks() - stats.embeddedChunks()));
    timings.put("embedding", millisSince(t));

    listener.stage("training");
    t = System.nanoTime();
    LabeledSamples samples = new LabeledSamples(embedded.chunks(), indexed, embedder.dimension());
    // the documents alone are what a worker routes: the head is balanced over them
    List<LabeledEmbedding> trainDocuments = samples.documents(split.get(Split.TRAIN));
    List<LabeledEmbedding> train =
        config.trainOnChunks()
            ? samples.documentsAndChunks(split.get(Split.TRAIN))
            : trainDocuments;
    List<LabeledEmbedding> validation = samples.documents(split.get(Split.VALIDATION));
    List<LabeledEmbedding> test = samples.documents(split.get(Split.TEST));
    MoeHeadConfig head =
        new MoeHeadConfig(
            embedder.dimension(),
            config.experts(),
            config.topK(),
            config.expertHidden(),
            config.domains(),
            trained);
    int epochs = config.training().epochs();
    listener.info(HeadLine.of(head, config, train.size(), validation.size()));
    TrainingResult result =
        new MoeHeadTrainer(config.training())
            .train(
                head,
                train,
                trainDocuments,
                validation,
                e -> {
                  listener.progress("training", e.epoch(), epochs);
                  listener.info(
                      String.format(
                          Locale.ROOT,
                          "epoch %d/%d: loss %.4f, train accuracy %.3f, validation accuracy %.3f,"
                              + " validation loss %.4f, dead experts %d",
                          e.epoch(),
                          epochs,
                          e.trainLoss(),
                          e.trainAccuracy(),
                          e.validationAccuracy(),
                          e.validationLoss(),
                          e.deadExperts()));
                });
    timings.put("training", millisSince(t));
    if (!result.revivedExperts().isEmpty()) {
      // an expert can be revived twice when reviving another takes its document back
      List<Integer> revived = result.revivedExperts().stream().distinct().sorted().toList();
      listener.info(
          revived.size()
              + " experts no training document chose, each given the one it was closest to"
              + " winning: "
              + revived);
    }

    listener.stage("evaluation");
    t = System.nanoTime();
    LinearProbe probe =
        BaselineRegression.fit(
            config, result, train, validation, trained.size(), embedder.dimension(), listener);
    MoeHeadReference reference = new MoeHeadReference(result.weights());
    HeldOutEvaluation evaluation =
        new HeldOutEvaluation(trained, samples.identified(split.get(Split.TEST)), reference, probe);
    ClassificationMetrics metrics = evaluation.head();
    ClassificationMetrics probeMetrics = evaluation.baseline();
    HeadWithTfIdf.Measured lexical =
        HeadWithTfIdf.measure(split, samples, reference, trained, config.training().seed());
    ExpertLoad testLoad = ExpertLoad.measure(result.weights(), test);
    List<LabeledEmbedding> documents = new ArrayList<>(samples.documents(split.get(Split.TRAIN)));
    documents.addAll(validation);
    documents.addAll(test);
    ExpertLoad documentLoad = ExpertLoad.measure(result.weights(), documents);
    // the guard judges what the bundle serves: the head with its TF-IDF model, if it has one
    GuardSet guard =
        samples.guardSet(split.get(Split.TEST), config.guardPerLabel(), trained, lexical.served());
    timings.put("evaluation", millisSince(t));

    ShiftFigures shift = null;
    MoeHeadWeights shiftCandidate = null;
    TrainingReport.Retrain retrain = null;
    if (!pools.isEmpty()) {
      listener.stage("shift update");
      t = System.nanoTime();
      Set<Integer> heldOutIndices = new HashSet<>();
      heldOut.forEach(l -> heldOutIndices.add(samples.indexOf(l)));
      // the traffic as workers answered it: the feedback carries the TF-IDF evidence
      GuardSet traffic = samples.servedPool(split.get(Split.SHIFT_TRAFFIC), lexical.served());
      ShiftScenario.Outcome shiftOutcome =
          ShiftRun.run(
              config,
              result,
              guard,
              heldOutIndices,
              indexed,
              samples.documents(split.get(Split.SHIFT_TRAFFIC)),
              traffic == null ? List.of() : traffic.evidence(),
              samples.documents(split.get(Split.SHIFT_EVALUATION)));
      shift = shiftOutcome.figures();
      shiftCandidate = shiftOutcome.candidate();
      listener.info("shift update: " + shift.summary());
      // the other labels' documents that neither the update nor its guard set sees, as served
      GuardSet validationServed = samples.servedPool(split.get(Split.VALIDATION), lexical.served());
      RetrainReference.ServedPool others =
          RetrainReference.ServedPool.of(
              validationServed != null
                  ? validationServed
                  : new GuardSet(indexed, head.hidden(), validation),
              result.weights(),
              shiftCandidate);
      timings.put("shift_update", millisSince(t));
      RetrainReference.ServedPool servedPool =
          RetrainReference.ServedPool.of(
              samples.servedPool(split.get(Split.SHIFT_EVALUATION), lexical.served()),
              result.weights(),
              shiftCandidate);
      listener.stage("retrain reference");
      t = System.nanoTime();
      // the retrain has every label: the held-out ones are in its training data
      MoeHeadConfig full = head.withLabels(indexed);
      retrain =
          RetrainReference.run(
              config,
              full,
              train,
              trainDocuments,
              validation,
              samples,
              split,
              guard,
              heldOutIndices,
              shift,
              servedPool,
              others);
      retrain.summaries().forEach(listener::info);
      timings.put("retrain_reference", millisSince(t));
    }

    listener.stage("writing");
    t = System.nanoTime();
    Files.createDirectories(out);
    exporter.export(
        result.weights(),
        lexical.served(),
        embedder.chunkCap(config.maxChunksPerDoc()),
        out.resolve(MODEL_DIR));
    try (OutputStream o = Files.newOutputStream(out.resolve(RESERVOIR_FILE))) {
      result.reservoir().writeTo(o);
    }
    try (OutputStream o = Files.newOutputStream(out.resolve(GUARD_SET_FILE))) {
      guard.writeTo(o);
    }
    if (!pools.isEmpty()) {
      pools.write(out.resolve(ShiftPools.FILE));
    }
    timings.put("writing", millisSince(t));
    timings.put("total", millisSince(start));

    Map<Split, Integer> bySplit = new EnumMap<>(Split.class);
    split.forEach((s, docs) -> bySplit.put(s, docs.size()));
    TrainingReport report =
        new TrainingReport(
            TrainingReport.Figures.of(metrics),
            testLoad,
            result.trainLoad(),
            documentLoad,
            result.bestEpoch(),
            bySplit,
            stats.embeddedChunks(),
            stats.chunks() - stats.embeddedChunks(),
            timings,
            shift,
            retrain,
            TrainingReport.Figures.of(probeMetrics),
            TrainingReport.Figures.of(lexical.tfIdf()),
            new TrainingReport.Combined(
                TrainingReport.Figures.of(lexical.combined()), lexical.weight()),
            config.outDir(),
            shiftCandidate);
    Map<String, Object> counts =
        MetricsJson.counts(set, split, bySplit, train.size(), guard.samples().size(), stats);
    MetricsJson.write(
        out.resolve(METRICS_FILE),
        report,
        metrics,
        result,
        config,
        counts,
        pools,
        embedder.cacheKey());
    ReportHtml.write(out.resolve(ReportHtml.FILE), report, evaluation);
    listener.info(
        String.format(Locale.ROOT, "load: test %s; all documents %s", testLoad, documentLoad));
    return report;
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
