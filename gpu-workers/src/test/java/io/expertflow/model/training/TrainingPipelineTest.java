package io.expertflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.corpus.TrainingCorpora;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeTrainingConfig;
import io.expertflow.operators.moe.ReplayReservoir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingPipelineTest {
  @TempDir Path dir;

  private final CorpusSource corpus = listener -> TrainingCorpora.deduplicate(documents());
  private final List<Path> exported = new ArrayList<>();
  private final ModelExporter exporter =
      (MoeHeadWeights head, Path target) -> {
        Files.createDirectories(target);
        exported.add(target);
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
    assertThat(exported).containsExactly(dir.resolve("run1").resolve(TrainingPipeline.MODEL_DIR));
    JsonNode metrics =
        new ObjectMapper()
            .readTree(dir.resolve("run1").resolve(TrainingPipeline.METRICS_FILE).toFile());
    assertThat(metrics.at("/test/genre_macro_f1").asDouble()).isEqualTo(report.genreMacroF1());
    assertThat(metrics.at("/expert_load/test/dead_experts").asInt())
        .isEqualTo(report.testLoad().deadExperts());
    assertThat(metrics.at("/counts/duplicates_dropped").asInt()).isEqualTo(1);
    try (InputStream in =
        Files.newInputStream(dir.resolve("run1").resolve(TrainingPipeline.GUARD_SET_FILE))) {
      GuardSet guard = GuardSet.readFrom(in);
      assertThat(guard.labels()).isEqualTo(TrainingCorpora.LABELS);
      assertThat(guard.samples()).hasSize(report.documentsBySplit().get(Split.TEST));
    }
    try (InputStream in =
        Files.newInputStream(dir.resolve("run1").resolve(TrainingPipeline.RESERVOIR_FILE))) {
      assertThat(ReplayReservoir.readFrom(in).experts()).isEqualTo(16);
    }
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
  void shouldKeepAnExcludedLabelOutOfTrainingButInTheTestSet() throws IOException {
    TrainingReport report =
        new TrainingPipeline(
                config("held-out", Set.of("learned")),
                corpus,
                new TestDoubleEmbedder(256, 20),
                exporter,
                ProgressListener.silent())
            .run();

    JsonNode metrics =
        new ObjectMapper()
            .readTree(dir.resolve("held-out").resolve(TrainingPipeline.METRICS_FILE).toFile());
    assertThat(metrics.at("/counts/train_documents_by_label/learned").isMissingNode()).isTrue();
    assertThat(metrics.at("/test/per_label/learned/support").asInt()).isPositive();
    assertThat(metrics.at("/test/per_label/learned/recall").asDouble()).isZero();
    assertThat(report.accuracy()).isLessThan(1.0);
  }

  @Test
  void shouldRejectAnUnknownExcludedLabelBeforeEmbedding() {
    TestDoubleEmbedder embedder = new TestDoubleEmbedder(256, 20);
    TrainingPipeline pipeline =
        new TrainingPipeline(
            config("bad", Set.of("poetry")), corpus, embedder, exporter, ProgressListener.silent());

    assertThatThrownBy(pipeline::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown label 'poetry'");
    assertThat(embedder.chunksEmbedded).isZero();
  }

  private TrainingConfig config(String out, Set<String> excluded) {
    return TrainingConfig.builder(dir.resolve("cache"), dir.resolve(out))
        .head(16, 2, 8, 4)
        .training(MoeTrainingConfig.defaults().withEpochs(12))
        .maxChunksPerDoc(3)
        .guardPerLabel(100)
        .excludedLabels(excluded)
        .build();
  }

  /** Twelve documents per label; each label has its own vocabulary plus shared filler words. */
  private static List<LabeledDocument> documents() {
    Random random = new Random(5);
    List<LabeledDocument> docs = new ArrayList<>();
    for (String label : TrainingCorpora.LABELS) {
      for (int i = 0; i < 12; i++) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 60; w++) {
          text.append(
                  random.nextInt(3) == 0
                      ? "filler" + random.nextInt(30)
                      : label + random.nextInt(8))
              .append(' ');
        }
        docs.add(new LabeledDocument(label + "/" + i, label, text.toString()));
      }
    }
    docs.add(new LabeledDocument("zz/duplicate", "spam", docs.get(docs.size() - 1).text()));
    return docs;
  }
}
