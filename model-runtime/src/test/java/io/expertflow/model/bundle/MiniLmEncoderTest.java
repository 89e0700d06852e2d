package io.expertflow.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.expertflow.model.WholeWordTestTokenization;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.EncoderSignature;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real pretrained all-MiniLM-L6-v2 (int8) from the class path. */
class MiniLmEncoderTest {
  @TempDir static Path dir;
  private static Engine engine;
  private static EncoderSession encoder;
  private static WholeWordTestTokenization words;

  @BeforeAll
  static void extractAndOpen() {
    EncoderResources.extract(EncoderVariant.MINILM_L6_V2_INT8, dir);
    engine = Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.CPU));
    encoder =
        engine.openEncoder(dir.resolve(EncoderResources.ENCODER_FILE), EncoderSignature.defaults());
    words = new WholeWordTestTokenization(dir.resolve(EncoderResources.TOKENIZER_FILE), 128, 1);
  }

  @AfterAll
  static void close() {
    encoder.close();
    engine.close();
  }

  @Test
  void shouldExtractTheEncoderWithItsPublishedChecksum() {
    assertThat(Checksums.sha256(dir.resolve(EncoderResources.ENCODER_FILE)))
        .isEqualTo(EncoderVariant.MINILM_L6_V2_INT8.modelSha256());
  }

  @Test
  void shouldEmbedInto384UnitLengthDimensions() {
    float[][] out = encoder.embed(List.of(words.ids("The weather is lovely today.")));

    assertThat(encoder.hiddenSize()).isEqualTo(384);
    assertThat(out[0]).hasSize(384);
    assertThat(Math.sqrt(dot(out[0], out[0]))).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void shouldPlaceParaphrasesCloserThanAnUnrelatedSentence() {
    float[][] out =
        encoder.embed(
            List.of(
                words.ids("A man is playing a guitar."),
                words.ids("Someone plays the guitar."),
                words.ids("The stock market fell sharply on Monday.")));

    double paraphrase = dot(out[0], out[1]);
    double unrelated = dot(out[0], out[2]);
    assertThat(paraphrase).isGreaterThan(0.6);
    assertThat(unrelated).isLessThan(0.3);
    assertThat(paraphrase).isGreaterThan(unrelated + 0.3);
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
