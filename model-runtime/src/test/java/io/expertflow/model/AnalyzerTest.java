package io.expertflow.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzerTest {
  private static final List<String> LABELS = List.of("news", "fiction", "spam", "science");

  @TempDir Path dir;

  @Test
  void shouldReportTopLabelsExpertsDomainAndChunksPerText() {
    ModelBundle bundle = ModelBundles.tiny(dir.resolve("bundle"), LABELS);
    Tokenization tokenization = new WholeWordTestTokenization(bundle.tokenizerFile(), 16, 3);
    String longText = String.join(" ", Collections.nCopies(60, "the market rose today ."));
    try (Engine engine = Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.CPU));
        Analyzer analyzer = new Analyzer(bundle, engine, tokenization, 2, 4)) {
      List<TextAnalysis> out =
          analyzer.analyze(List.of("Stocks fell sharply.", longText, "Win a free prize now!"));

      assertThat(out).hasSize(3);
      assertThat(out.get(0).chunkCount()).isEqualTo(1);
      assertThat(out.get(0).truncated()).isFalse();
      assertThat(out.get(1).chunkCount()).isEqualTo(3);
      assertThat(out.get(1).truncated()).isTrue();
      for (TextAnalysis a : out) {
        assertThat(a.topLabels()).hasSize(2);
        assertThat(a.topLabels().get(0).score())
            .isGreaterThanOrEqualTo(a.topLabels().get(1).score());
        assertThat(LABELS).contains(a.topLabels().get(0).label());
        assertThat(a.experts()).hasSize(2);
        assertThat(java.util.Arrays.stream(a.experts()).boxed().toList())
            .allSatisfy(e -> assertThat(e).isBetween(0, 15));
        assertThat(a.gates()[0] + a.gates()[1])
            .isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(a.domain()).isBetween(0, 3);
      }
    }
  }

  @Test
  void shouldGiveTheSameAnswerForATextAloneAndInABatch() {
    ModelBundle bundle = ModelBundles.tiny(dir.resolve("bundle"), LABELS);
    Tokenization tokenization = new WholeWordTestTokenization(bundle.tokenizerFile(), 32, 4);
    try (Engine engine = Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.CPU));
        Analyzer analyzer = new Analyzer(bundle, engine, tokenization, 4, 8)) {
      TextAnalysis alone = analyzer.analyze(List.of("a short note")).get(0);
      TextAnalysis batched =
          analyzer
              .analyze(
                  List.of(
                      "a much longer text that pads the short one in its batch by many tokens",
                      "a short note"))
              .get(1);

      assertThat(batched.experts()).containsExactly(alone.experts());
      assertThat(batched.topLabels().get(0).label()).isEqualTo(alone.topLabels().get(0).label());
      assertThat(batched.topLabels().get(0).score())
          .isCloseTo(alone.topLabels().get(0).score(), org.assertj.core.data.Offset.offset(1e-5f));
    }
  }
}
