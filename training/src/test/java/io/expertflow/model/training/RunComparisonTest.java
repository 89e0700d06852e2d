package io.expertflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.expertflow.model.corpus.TrainingCorpora;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeTrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RunComparison} on what training writes: two seeds of one recipe with a held-out label. */
class RunComparisonTest {
  // trained once for every test: the comparison only reads what training wrote
  @TempDir static Path dir;

  private static final List<TrainingReport> reports = new ArrayList<>();

  @BeforeAll
  static void trainTwoSeeds() throws IOException {
    for (long seed : new long[] {1, 2}) {
      TrainingConfig config =
          TrainingConfig.builder(dir.resolve("cache"), dir.resolve("seed" + seed))
              .head(16, 2, 8, 4)
              .training(MoeTrainingConfig.defaults().withEpochs(8).withSeed(seed))
              .maxChunksPerDoc(3)
              .heldOutLabels(Set.of("learned"))
              .build();
      reports.add(
          new TrainingPipeline(
                  config,
                  listener -> TrainingCorpora.deduplicate(TestDocuments.twelvePerLabel()),
                  new TestDoubleEmbedder(256, 20),
                  (MoeHeadWeights head, LexicalModel lexical, int chunks, Path target) ->
                      Files.createDirectories(target),
                  ProgressListener.silent())
              .run());
    }
  }

  @Test
  void shouldPutEachRunsFiguresSideBySideWithTheirMeanAndSpread() throws IOException {
    RunComparison c = RunComparison.read(List.of(dir.resolve("seed1"), dir.resolve("seed2")));

    assertThat(c.runs()).extracting(RunComparison.Run::name).containsExactly("seed1", "seed2");
    assertThat(c.runs()).extracting(RunComparison.Run::seed).containsExactly(1L, 2L);
    assertThat(c.runs().get(0).encoder()).isEqualTo("test-double-hashing");
    // seeds of one recipe: nothing else differs
    assertThat(c.differences()).isEmpty();

    double a = reports.get(0).genreAccuracy();
    double b = reports.get(1).genreAccuracy();
    RunComparison.Row genre = c.row(RunComparison.TEST, "head: genre accuracy").orElseThrow();
    assertThat(genre.values()).containsExactly(a, b);
    assertThat(genre.mean()).isCloseTo((a + b) / 2, within(1e-12));
    assertThat(genre.sd()).isCloseTo(Math.abs(a - b) / Math.sqrt(2), within(1e-12));
    assertThat(genre.min()).isEqualTo(Math.min(a, b));
    assertThat(genre.max()).isEqualTo(Math.max(a, b));

    RunComparison.Row lead =
        c.row(RunComparison.TEST, "head - logistic regression: spam F1").orElseThrow();
    for (int i = 0; i < 2; i++) {
      TrainingReport r = reports.get(i);
      assertThat(lead.values()[i])
          .isCloseTo((r.spamF1() - r.linearProbe().spamF1()) * 100, within(1e-9));
    }

    RunComparison.Row after =
        c.row(RunComparison.SHIFT, "new label after the update").orElseThrow();
    assertThat(after.values())
        .containsExactly(
            reports.get(0).shift().newLabelAfter(), reports.get(1).shift().newLabelAfter());
    RunComparison.Row retrain =
        c.row(RunComparison.SHIFT, "new label after the retrain").orElseThrow();
    assertThat(retrain.values())
        .containsExactly(
            reports.get(0).retrain().newLabelAccuracy(),
            reports.get(1).retrain().newLabelAccuracy());
    RunComparison.Row others =
        c.row(RunComparison.SHIFT, "other labels' validation documents: retrain").orElseThrow();
    TrainingReport.OtherLabels first = reports.get(0).retrain().otherLabels();
    assertThat(others.values()[0])
        .isCloseTo((first.afterRetrain() - first.before()) * 100, within(1e-9));

    String text = c.text();
    assertThat(text)
        .contains("2 runs: seed1 (seed 1), seed2 (seed 2)")
        .contains("held-out test documents", "seed1", "seed2", "mean", "sd", "range")
        .contains(String.format(java.util.Locale.ROOT, "%.3f", genre.mean()))
        .contains("shift update", "new label after the retrain");
    assertThat(text).doesNotContain("differ in more than their seed");
    assertThat(c.markdown())
        .contains("| held-out test documents | seed1 | seed2 | mean | sd | range |")
        .contains("| --- | ---: |");
  }

  @Test
  void shouldSayWhichSettingsOtherThanTheSeedDiffer() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode one = mapper.readTree(dir.resolve("seed1").resolve("metrics.json").toFile());
    ObjectNode other = (ObjectNode) one.deepCopy();
    ((ObjectNode) other.get("setup")).put("docs_per_label", 150);
    ((ObjectNode) other.at("/shift/update")).put("targetedBackoff", true);

    RunComparison c =
        RunComparison.of(
            List.of(new RunComparison.Run("a", one), new RunComparison.Run("b", other)));

    assertThat(c.differences())
        .containsExactly(
            "documents per label: " + one.at("/setup/docs_per_label").asText() + ", 150",
            "update.targetedBackoff: false, true");
    assertThat(c.text()).contains("the runs differ in more than their seed");
    // a run without the shift update differs from one with it in its update settings
    ObjectNode plain = (ObjectNode) one.deepCopy();
    plain.remove("shift");
    assertThat(
            RunComparison.of(
                    List.of(new RunComparison.Run("a", one), new RunComparison.Run("c", plain)))
                .differences())
        .contains("update.targetedBackoff: false, absent");
  }

  @Test
  void shouldRefuseAFolderWithoutMetricsAndAFileThatIsNotATrainingRuns() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path notMetrics = Files.writeString(dir.resolve("other.json"), "{\"name\": \"x\"}");
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"test\": ");
    Path noFigures = Files.writeString(dir.resolve("empty.json"), "{\"test\": {}}");

    assertThatThrownBy(() -> RunComparison.read(List.of(dir.resolve("seed1"), empty)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty: no metrics.json");
    assertThatThrownBy(() -> RunComparison.read(List.of(notMetrics)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not the metrics of a training run");
    assertThatThrownBy(() -> RunComparison.read(List.of(noFigures)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("none of the figures compare reads");
    assertThatThrownBy(() -> RunComparison.read(List.of(broken)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not readable as JSON");
    assertThatThrownBy(() -> RunComparison.read(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no runs to compare");
  }
}
