package io.expertflow.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.expertflow.model.TokenizedText;
import io.expertflow.model.WordPieceTokenization;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.engine.Pooling;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.operators.text.WordPieceTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** e5-small-v2 and bge-small-en-v1.5 (int8) from the class path, with their pooling and prefix. */
class OtherEncodersTest {
  @TempDir Path dir;

  @Test
  void shouldParseEveryEncoderByIdAndShortName() {
    assertThat(EncoderVariant.parse("e5-small-v2")).isEqualTo(EncoderVariant.E5_SMALL_V2_INT8);
    assertThat(EncoderVariant.parse("bge-small-en-v1.5"))
        .isEqualTo(EncoderVariant.BGE_SMALL_EN_V15_INT8);
    assertThat(EncoderVariant.parse("int8")).isEqualTo(EncoderVariant.MINILM_L6_V2_INT8);
    assertThat(EncoderVariant.parse("fp32")).isEqualTo(EncoderVariant.MINILM_L6_V2_FP32);
    assertThatThrownBy(() -> EncoderVariant.parse("e6-small"))
        .hasMessageContaining("e5-small-v2-int8")
        .hasMessageContaining("bge-small-en-v1.5-int8");
  }

  @Test
  void shouldAdviseFp32ForGpuWorkersOfEvery8BitEncoderOnly() {
    for (EncoderVariant v : EncoderVariant.values()) {
      assertThat(EncoderVariant.cudaAdvice(v.id()).isPresent())
          .as(v.id())
          .isEqualTo(v != EncoderVariant.MINILM_L6_V2_FP32);
    }
    assertThat(EncoderVariant.cudaAdvice("minilm-l6-v2-int8-static").orElseThrow())
        .contains("minilm-l6-v2-int8-static")
        .contains("--encoder fp32");
    assertThat(EncoderVariant.cudaAdvice("my-own-encoder")).isEmpty();
    assertThat(EncoderVariant.cudaAdvice(null)).isEmpty();
  }

  @Test
  void shouldPutTheEncodersPrefixAfterClsInEveryChunk() {
    EncoderResources.extractTokenizer(EncoderVariant.E5_SMALL_V2_INT8, dir);
    WordPieceTokenizer tokenizer =
        WordPieceTokenizer.fromJson(dir.resolve(EncoderResources.TOKENIZER_FILE));
    ChunkingConfig small =
        ChunkingConfig.builder()
            .maxTokensPerChunk(8)
            .overlapTokens(0)
            .maxChunksPerDocument(4)
            .build();
    String text = "the quick brown fox jumps over the lazy dog and runs far away";

    TokenizedText plain = new WordPieceTokenization(tokenizer, small).tokenize(text);
    TokenizedText prefixed = new WordPieceTokenization(tokenizer, small, "query: ").tokenize(text);

    int[] query = tokenizer.encode("query:");
    assertThat(prefixed.chunks()).hasSameSizeAs(plain.chunks()).hasSizeGreaterThan(1);
    for (int c = 0; c < plain.chunks().size(); c++) {
      int[] p = plain.chunks().get(c);
      int[] q = prefixed.chunks().get(c);
      assertThat(q).hasSize(p.length + query.length - 2);
      assertThat(q[0]).isEqualTo(p[0]);
      assertThat(q[1]).isEqualTo(query[1]);
      assertThat(q[q.length - 1]).isEqualTo(p[p.length - 1]);
    }
  }

  @Test
  void shouldEmbedWithE5AndBgeIntoUnitLengthVectorsThatKnowParaphrases() {
    try (Engine engine =
        Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.CPU))) {
      for (EncoderVariant variant :
          List.of(EncoderVariant.E5_SMALL_V2_INT8, EncoderVariant.BGE_SMALL_EN_V15_INT8)) {
        Path d = dir.resolve(variant.id());
        EncoderResources.extract(variant, d);
        assertThat(Checksums.sha256(d.resolve(EncoderResources.ENCODER_FILE)))
            .isEqualTo(variant.modelSha256Published());
        WordPieceTokenization tokens =
            new WordPieceTokenization(
                WordPieceTokenizer.fromJson(d.resolve(EncoderResources.TOKENIZER_FILE)),
                ChunkingConfig.defaults(),
                variant.signature().prefix());
        try (EncoderSession encoder =
            engine.openEncoder(d.resolve(EncoderResources.ENCODER_FILE), variant.signature())) {
          float[][] out =
              encoder.embed(
                  List.of(
                      tokens.tokenize("A man is playing a guitar.").chunks().get(0),
                      tokens.tokenize("Someone plays the guitar.").chunks().get(0),
                      tokens.tokenize("The stock market fell sharply on Monday.").chunks().get(0)));

          assertThat(out[0]).hasSize(384);
          assertThat(Math.sqrt(dot(out[0], out[0]))).isCloseTo(1.0, within(1e-5));
          assertThat(dot(out[0], out[1]))
              .as(variant.id())
              .isGreaterThan(dot(out[0], out[2]) + 0.05);
        }
      }
    }
    assertThat(EncoderVariant.BGE_SMALL_EN_V15_INT8.signature().pooling()).isEqualTo(Pooling.CLS);
    assertThat(EncoderVariant.E5_SMALL_V2_INT8.signature().prefix()).isEqualTo("query: ");
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
