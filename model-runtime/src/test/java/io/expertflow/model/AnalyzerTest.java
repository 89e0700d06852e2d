package io.expertflow.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundleWriter;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.lexical.LexicalFeatures;
import io.expertflow.model.lexical.LexicalModel;
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

  @Test
  void shouldWeighInTheBundlesWordModel() {
    ModelBundle plain = ModelBundles.tiny(dir.resolve("plain"), LABELS);
    float[] idf = new float[LexicalFeatures.BUCKETS];
    idf[LexicalFeatures.bucket("prize")] = 1;
    float[][] w = new float[LABELS.size()][LexicalFeatures.BUCKETS + 1];
    w[LABELS.indexOf("spam")][LexicalFeatures.bucket("prize")] = 12;
    ModelBundle withWords =
        ModelBundleWriter.create("expertflow-tiny-test", "words")
            .encoderOf(plain)
            .head(plain.readHeadWeights())
            .lexical(LexicalModel.of(LABELS, 3, idf, w))
            .write(dir.resolve("words"));
    Tokenization tokenization = new WholeWordTestTokenization(plain.tokenizerFile(), 16, 3);
    List<String> texts = List.of("Win a free prize now!", "the market rose today");
    try (Engine engine = Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.CPU));
        Analyzer head = new Analyzer(plain, engine, tokenization, 4, 4);
        Analyzer both = new Analyzer(withWords, engine, tokenization, 4, 4)) {
      List<TextAnalysis> alone = head.analyze(texts);
      List<TextAnalysis> fused = both.analyze(texts);

      // the TF-IDF model reads "prize" as spam: the answer turns to spam, the routing stays
      assertThat(fused.get(0).topLabels().get(0).label()).isEqualTo("spam");
      assertThat(fused.get(0).topLabels().get(0).score()).isGreaterThan(0.99f);
      assertThat(fused.get(0).experts()).containsExactly(alone.get(0).experts());
      // words it never saw say nothing: the head's answer unchanged
      for (int i = 0; i < LABELS.size(); i++) {
        assertThat(fused.get(1).topLabels().get(i).label())
            .isEqualTo(alone.get(1).topLabels().get(i).label());
        assertThat(fused.get(1).topLabels().get(i).score())
            .isCloseTo(
                alone.get(1).topLabels().get(i).score(),
                org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
  }
}
