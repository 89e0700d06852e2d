package io.expertflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.model.corpus.TrainingCorpora;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeTrainingConfig;
import io.expertflow.operators.moe.ReplayReservoir;
import io.expertflow.operators.update.SelectionConfig;
import io.expertflow.operators.update.ShiftFigures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingPipelineTest {
  @TempDir Path dir;

  private final CorpusSource corpus =
      listener -> TrainingCorpora.deduplicate(TestDocuments.twelvePerLabel());
  private final List<Path> exported = new ArrayList<>();
  private final List<LexicalModel> served = new ArrayList<>();
  private final ModelExporter exporter =
      (MoeHeadWeights head, LexicalModel lexical, int trainedMaxChunks, Path target) -> {
        Files.createDirectories(target);
        exported.add(target);
        served.add(lexical);
      };

  @Test
  void shouldTrainEvaluateAndWriteEveryOutput() throws IOException {
    TestDoubleEmbedder embedder = new TestDoubleEmbedder(256, 20);

    TrainingReport report =
        new TrainingPipeline(
                config("run1", Set.of()), corpus, embedder, exporter, ProgressListener.silent())
            .run();

    assertThat(report.accuracy()).isGreaterThan(0.8);
    assertThat(report.genreAccuracy()).isGreaterThan(0.8);
    assertThat(report.spamF1()).isGreaterThan(0.8);
    assertThat(report.trainLoad().deadExperts()).isZero();
    // the exporter wrote into a staging folder that was renamed into place at the end
    assertThat(exported).hasSize(1);
    assertThat(exported.get(0).getFileName().toString()).isEqualTo(TrainingPipeline.MODEL_DIR);
    assertThat(dir.resolve("run1").resolve(TrainingPipeline.MODEL_DIR)).isDirectory();
    assertThat(exported.get(0)).doesNotExist();
    JsonNode metrics =
        new ObjectMapper()
            .readTree(dir.resolve("run1").resolve(TrainingPipeline.METRICS_FILE).toFile());
    assertThat(metrics.at("/test/genre_macro_f1").asDouble()).isEqualTo(report.genreMacroF1());
    assertThat(metrics.at("/expert_load/test/dead_experts").asInt())
        .isEqualTo(report.testLoad().deadExperts());
    assertThat(metrics.at("/counts/duplicates_dropped").asInt()).isEqualTo(1);
    assertThat(metrics.at("/setup/guard_per_label").asInt()).isEqualTo(100);
    // the logistic-regression baseline is trained on the same samples and reported beside the head
    assertThat(report.linearProbe().accuracy()).isGreaterThan(0.8);
    assertThat(metrics.at("/baseline_linear_probe/genre_accuracy").asDouble())
        .isEqualTo(report.linearProbe().genreAccuracy());
    assertThat(metrics.at("/baseline_linear_probe/spam_f1").asDouble())
        .isEqualTo(report.linearProbe().spamF1());
    // so is a classifier on the documents' words, with no encoder: each label has its own words
    assertThat(report.tfIdf().accuracy()).isGreaterThan(0.8);
    assertThat(metrics.at("/baseline_tfidf/accuracy").asDouble())
        .isEqualTo(report.tfIdf().accuracy());
    assertThat(metrics.at("/baseline_tfidf/genre_accuracy").asDouble())
        .isEqualTo(report.tfIdf().genreAccuracy());
    assertThat(metrics.at("/training/revived_experts").isArray()).isTrue();
    // and the head with that classifier beside it, its weight chosen on validation
    assertThat(HeadWithTfIdf.WEIGHTS).contains(report.headWithTfIdf().weight());
    assertThat(metrics.at("/head_with_tfidf/weight").asDouble())
        .isEqualTo(report.headWithTfIdf().weight());
    assertThat(metrics.at("/head_with_tfidf/served").asBoolean())
        .isEqualTo(report.headWithTfIdf().weight() > 0);
    assertThat(metrics.at("/head_with_tfidf/accuracy").asDouble())
        .isEqualTo(report.headWithTfIdf().figures().accuracy());
    // the bundle serves the TF-IDF model with the weight chosen, or the head alone at 0
    if (report.headWithTfIdf().weight() == 0) {
      assertThat(served).containsExactly((LexicalModel) null);
    } else {
      assertThat(served.get(0).weight()).isEqualTo(report.headWithTfIdf().weight());
      assertThat(served.get(0).features()).isPositive();
    }
    int documents =
        report.documentsBySplit().get(Split.TRAIN)
            + report.documentsBySplit().get(Split.VALIDATION)
            + report.documentsBySplit().get(Split.TEST);
    assertThat(report.documentLoad().documents()).isEqualTo(documents);
    assertThat(metrics.at("/expert_load/all_documents/dead_experts").asInt())
        .isEqualTo(report.documentLoad().deadExperts());
    try (InputStream in =
        Files.newInputStream(dir.resolve("run1").resolve(TrainingPipeline.GUARD_SET_FILE))) {
      GuardSet guard = GuardSet.readFrom(in);
      assertThat(guard.labels()).isEqualTo(TrainingCorpora.LABELS);
      assertThat(guard.samples()).hasSize(report.documentsBySplit().get(Split.TEST));
      // the guard judges what the bundle serves: with the TF-IDF model's evidence when served
      assertThat(guard.hasEvidence()).isEqualTo(report.headWithTfIdf().weight() > 0);
      if (guard.hasEvidence()) {
        assertThat(guard.evidence()).hasSameSizeAs(guard.samples());
        assertThat(guard.evidence().get(0)).hasSize(guard.labels().size());
        assertThat(java.util.Arrays.stream(guard.evidence().get(0)).max().orElseThrow())
            .isLessThanOrEqualTo(0);
      }
    }
    try (InputStream in =
        Files.newInputStream(dir.resolve("run1").resolve(TrainingPipeline.RESERVOIR_FILE))) {
      assertThat(ReplayReservoir.readFrom(in).experts()).isEqualTo(16);
    }
  }

  @Test
  void shouldCompareTheHeadWithTheTunedRegressionWhenAsked() throws IOException {
    TrainingConfig start = config("start", Set.of());
    TrainingConfig tuned = builder("tuned").baseline(TrainingConfig.Baseline.TUNED).build();
    List<String> said = new ArrayList<>();
    ProgressListener listener = ProgressListener.notes(said::add);

    TrainingReport a =
        new TrainingPipeline(start, corpus, new TestDoubleEmbedder(256, 20), exporter, listener)
            .run();
    TrainingReport b =
        new TrainingPipeline(tuned, corpus, new TestDoubleEmbedder(256, 20), exporter, listener)
            .run();

    // the head is trained the same way; only the regression beside it differs
    assertThat(b.accuracy()).isEqualTo(a.accuracy());
    assertThat(b.linearProbe().accuracy()).isGreaterThan(0.8);
    assertThat(said).anyMatch(m -> m.matches("baseline: L2 [0-9.E-]+ chosen on validation"));
    // what is trained is said before it is: the head's shape and size, its start
    String parameters =
        String.format(
            Locale.ROOT,
            "%,d",
            new MoeHeadConfig(256, 16, 2, 8, 4, TrainingCorpora.LABELS).expertParameters());
    String head =
        Pattern.quote(
                "head: 16 experts (top-2, 4 domains) of 256 -> 8 -> 17, "
                    + parameters
                    + " expert parameters; start UPCYCLED_FROM_LINEAR (experts narrower than the"
                    + " regression's 32 units: the dense stage starts from random weights); ")
            + "[0-9,]+"
            + Pattern.quote(
                " training samples (documents and their chunks), "
                    + b.documentsBySplit().get(Split.VALIDATION)
                    + " validation documents");
    assertThat(said).anyMatch(m -> m.matches(head));
    JsonNode metrics =
        new ObjectMapper()
            .readTree(dir.resolve("tuned").resolve(TrainingPipeline.METRICS_FILE).toFile());
    assertThat(metrics.at("/baseline_linear_probe/fit").asText()).isEqualTo("TUNED");
    assertThat(metrics.at("/baseline_linear_probe/what").asText()).contains("convergence");
    assertThat(metrics.at("/baseline_linear_probe/accuracy").asDouble())
        .isEqualTo(b.linearProbe().accuracy());
  }

  @Test
  void shouldEmbedNothingOnAWarmCache() throws IOException {
    TestDoubleEmbedder cold = new TestDoubleEmbedder(256, 20);
    new TrainingPipeline(
            config("cold", Set.of()), corpus, cold, exporter, ProgressListener.silent())
        .run();
    TestDoubleEmbedder warm = new TestDoubleEmbedder(256, 20);

    TrainingReport report =
        new TrainingPipeline(
                config("warm", Set.of()), corpus, warm, exporter, ProgressListener.silent())
            .run();

    assertThat(cold.chunksEmbedded).isPositive();
    assertThat(warm.chunksEmbedded).isZero();
    assertThat(report.chunksEmbedded()).isZero();
    assertThat(report.chunksFromCache()).isEqualTo(cold.chunksEmbedded);
  }

  @Test
  void shouldLeaveAHeldOutLabelOutOfTrainingAndCutItIntoTrafficAndEvaluationPools()
      throws IOException {
    TrainingReport report =
        new TrainingPipeline(
                config("held-out", Set.of("learned")),
                corpus,
                new TestDoubleEmbedder(256, 20),
                exporter,
                ProgressListener.silent())
            .run();

    Path out = dir.resolve("held-out");
    JsonNode metrics =
        new ObjectMapper().readTree(out.resolve(TrainingPipeline.METRICS_FILE).toFile());
    assertThat(metrics.at("/counts/train_documents_by_label/learned").isMissingNode()).isTrue();
    assertThat(metrics.at("/counts/test_documents_by_label/learned").isMissingNode()).isTrue();
    ShiftPools pools = ShiftPools.read(out.resolve(ShiftPools.FILE));
    assertThat(pools.heldOutLabels()).containsExactly("learned");
    assertThat(pools.traffic()).hasSize(6).allMatch(d -> d.label().equals("learned"));
    assertThat(pools.evaluation()).hasSize(6).allMatch(d -> d.label().equals("learned"));
    assertThat(pools.traffic()).doesNotContainAnyElementsOf(pools.evaluation());
    assertThat(metrics.at("/shift/traffic_ids").size()).isEqualTo(6);
    assertThat(metrics.at("/shift/evaluation_ids/0").asText())
        .isEqualTo(pools.evaluation().get(0).id());
    // the shift model lacks the label altogether: a weekly update has to add it
    List<String> trained =
        TrainingCorpora.LABELS.stream().filter(l -> !l.equals("learned")).toList();
    GuardSet guard = readGuard(out);
    assertThat(guard.labels()).containsExactlyElementsOf(trained);
    assertThat(guard.samples()).isNotEmpty();
    ReplayReservoir reservoir = readReservoir(out);
    assertThat(reservoir.labels()).containsExactlyElementsOf(trained);
    assertThat(report.hasShift()).isTrue();
    assertThat(report.shift().newLabelBefore()).isZero();
    // a head retrained with the week's feedback: the reference the update is judged against
    assertThat(report.retrain().newLabelAccuracy()).isBetween(0.0, 1.0);
    assertThat(report.retrain().guardAccuracy()).isGreaterThan(0.5);
    assertThat(metrics.at("/retrain_reference/new_label_accuracy").asDouble())
        .isEqualTo(report.retrain().newLabelAccuracy());
    double updateGain = report.shift().newLabelAfter() - report.shift().newLabelBefore();
    double retrainGain = report.retrain().newLabelAccuracy() - report.shift().newLabelBefore();
    if (retrainGain > 0) {
      assertThat(report.retrain().updateShare())
          .isCloseTo(updateGain / retrainGain, org.assertj.core.api.Assertions.within(1e-9));
    } else {
      assertThat(report.retrain().updateShare()).isNaN();
    }
    // held to the update's guard bound it can only answer the new label less, never cost more
    TrainingReport.GuardHeld held = report.retrain().guardHeld();
    assertThat(held.newLabelAccuracy()).isLessThanOrEqualTo(report.retrain().newLabelAccuracy());
    assertThat(held.guardAccuracy()).isGreaterThanOrEqualTo(held.guardWithout() - 0.005 - 1e-9);
    assertThat(metrics.at("/retrain_reference/held_to_guard_bound/new_label_accuracy").asDouble())
        .isEqualTo(held.newLabelAccuracy());
    // the pool judged as workers answer it: the words never keep the new label from an answer the
    // head gives it, so served it is named at least as often as by the head alone
    TrainingReport.Served served = report.retrain().served();
    assertThat(report.headWithTfIdf().served()).as("this corpus serves its TF-IDF model").isTrue();
    assertThat(served.before()).isZero();
    assertThat(served.after()).isGreaterThanOrEqualTo(report.shift().newLabelAfter());
    assertThat(served.retrain()).isGreaterThanOrEqualTo(report.retrain().newLabelAccuracy());
    assertThat(metrics.at("/retrain_reference/served_with_tfidf/new_label_after_update").asDouble())
        .isEqualTo(served.after());
    String html = Files.readString(out.resolve(ReportHtml.FILE));
    assertThat(html)
        .contains("Weekly update on the held-out label")
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "after the update</td><td>%.3f</td><td>%.3f</td>",
                report.shift().newLabelAfter(),
                report.shift().guardAfter()))
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "held to the update's guard bound</td><td>%.3f</td>",
                held.newLabelAccuracy()))
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "after the update, with its TF-IDF model</td><td>%.3f</td>",
                served.after()));
  }

  @Test
  void shouldRunTheOfflineUpdateOnTheTrafficPoolAndRecordItsFigures() throws IOException {
    TrainingConfig config =
        builder("shift")
            .heldOutLabels(Set.of("learned"))
            // a tiny head: one expert's update is 0.7 % of its expert parameters
            .shiftSelection(
                SelectionConfig.defaults().withMinFeedback(1).withParameterBudgetShare(0.2))
            .build();

    List<String> said = new ArrayList<>();
    ProgressListener listener = ProgressListener.notes(said::add);
    TrainingReport report =
        new TrainingPipeline(config, corpus, new TestDoubleEmbedder(256, 20), exporter, listener)
            .run();

    ShiftFigures shift = report.shift();
    // what the update cost documents it and its guard set never see: nothing, as it changed
    // nothing; and what the retrain cost them, measured on the same documents
    TrainingReport.OtherLabels others = report.retrain().otherLabels();
    assertThat(others.documents()).isEqualTo(report.documentsBySplit().get(Split.VALIDATION));
    assertThat(others.afterUpdate()).isEqualTo(others.before());
    assertThat(others.afterRetrain()).isBetween(0.0, 1.0);
    assertThat(said)
        .anyMatch(
            m ->
                m.matches(
                    "the other labels' "
                        + others.documents()
                        + " validation documents, which neither the update nor its guard set"
                        + " sees, served: ([0-9.]+) before, \\1 after the update \\(\\+0\\.0"
                        + " points\\), [0-9.]+ after the retrain \\([+-][0-9.]+ points; it"
                        + " stopped early on them\\)"));
    // learning itself is measured on data large enough for it (LabelGrowthTest in operators, and
    // the real-data figures in docs/FEEDBACK-LOOP.md): six documents of the traffic pool are too
    // few to add a label the model lacks, and the update says so and changes nothing
    assertThat(shift.published()).isFalse();
    assertThat(shift.reason())
        .contains("by too few documents to add them ({learned=6}, 10 needed)");
    assertThat(shift.changedExperts()).isEmpty();
    assertThat(shift.unchangedExpertsIdentical()).isTrue();
    assertThat(shift.newLabelAfter()).isZero();
    JsonNode metrics =
        new ObjectMapper()
            .readTree(dir.resolve("shift").resolve(TrainingPipeline.METRICS_FILE).toFile());
    assertThat(metrics.at("/shift/new_label_accuracy_after").asDouble())
        .isEqualTo(shift.newLabelAfter());
    assertThat(metrics.at("/shift/unchanged_experts_bit_identical").asBoolean()).isTrue();
    assertThat(
            metrics
                .at("/retrain_reference/other_labels_validation_served/after_retrain")
                .asDouble())
        .isEqualTo(others.afterRetrain());
  }

  @Test
  void shouldRefuseBeforeEmbeddingToTrainFewerThanTwoLabels() {
    TestDoubleEmbedder embedder = new TestDoubleEmbedder(256, 20);
    Set<String> allButOne = new java.util.HashSet<>(TrainingCorpora.LABELS);
    allButOne.remove("spam");
    TrainingPipeline everyLabel =
        new TrainingPipeline(
            config("all", Set.copyOf(TrainingCorpora.LABELS)),
            corpus,
            embedder,
            exporter,
            ProgressListener.silent());
    TrainingPipeline oneLeft =
        new TrainingPipeline(
            config("one", allButOne), corpus, embedder, exporter, ProgressListener.silent());

    assertThatThrownBy(everyLabel::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaves no label to train")
        .hasMessageContaining("a head needs at least two labels");
    assertThatThrownBy(oneLeft::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaves one label, spam, to train");
    assertThat(embedder.chunksEmbedded).isZero();
  }

  @Test
  void shouldRejectAnUnknownHeldOutLabelBeforeEmbedding() {
    TestDoubleEmbedder embedder = new TestDoubleEmbedder(256, 20);
    TrainingPipeline pipeline =
        new TrainingPipeline(
            config("bad", Set.of("poetry")), corpus, embedder, exporter, ProgressListener.silent());

    assertThatThrownBy(pipeline::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown label 'poetry'");
    assertThat(embedder.chunksEmbedded).isZero();
  }

  @Test
  void shouldRefuseAnEmptyGuardSetBeforeAnyWork() {
    assertThatThrownBy(() -> builder("noguard").guardPerLabel(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("guardPerLabel must be >= 1, was 0")
        .hasMessageContaining("guard set is empty");
    assertThat(builder("oneguard").guardPerLabel(1).build().guardPerLabel()).isEqualTo(1);
  }

  private static GuardSet readGuard(Path out) throws IOException {
    try (InputStream in = Files.newInputStream(out.resolve(TrainingPipeline.GUARD_SET_FILE))) {
      return GuardSet.readFrom(in);
    }
  }

  private static ReplayReservoir readReservoir(Path out) throws IOException {
    try (InputStream in = Files.newInputStream(out.resolve(TrainingPipeline.RESERVOIR_FILE))) {
      return ReplayReservoir.readFrom(in);
    }
  }

  private TrainingConfig config(String out, Set<String> heldOut) {
    return builder(out).heldOutLabels(heldOut).build();
  }

  /** A tiny head on the test corpus, writing to {@code out}. */
  private TrainingConfig.Builder builder(String out) {
    return TrainingConfig.builder(dir.resolve("cache"), dir.resolve(out))
        .head(16, 2, 8, 4)
        .training(MoeTrainingConfig.defaults().withEpochs(12))
        .maxChunksPerDoc(3)
        .guardPerLabel(100);
  }
}
