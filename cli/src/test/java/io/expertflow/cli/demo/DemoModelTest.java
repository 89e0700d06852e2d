package io.expertflow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.training.TrainingPipeline;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where the demo keeps the model it trains: one folder per encoder and recipe. */
class DemoModelTest {
  private static final Path CACHE = Path.of("cache");

  @Test
  void shouldKeepTheDefaultEncodersModelWhereDemosNamingThatEncoderTrainedIt() {
    Path model = DemoModel.cachedModelDir(CACHE, DemoModel.DOCS_PER_LABEL, EncoderVariant.DEFAULT);

    assertThat(model)
        .isEqualTo(
            CACHE
                .resolve("bundles")
                .resolve(
                    "demo-shift-learned-linear-start-principal-docbalanced-revived-absent-tfidf-"
                        + "e5-small-v2-int8-static")
                .resolve(TrainingPipeline.MODEL_DIR));
    assertThat(model.getParent().getFileName().toString()).isEqualTo(DemoModel.CACHE_FOLDER);
  }

  @Test
  void shouldKeepEachEncodersModelApart() {
    Path minilm = DemoModel.cachedModelDir(CACHE, DemoModel.DOCS_PER_LABEL, EncoderVariant.FASTEST);
    Path e5 =
        DemoModel.cachedModelDir(
            CACHE, DemoModel.DOCS_PER_LABEL, EncoderVariant.E5_SMALL_V2_INT8_STATIC);
    Path e5Smaller = DemoModel.cachedModelDir(CACHE, 20, EncoderVariant.E5_SMALL_V2_INT8_STATIC);

    assertThat(e5).isNotEqualTo(minilm);
    assertThat(minilm.getParent().getFileName().toString()).endsWith("-minilm-l6-v2-int8-static");
    assertThat(e5.getParent().getFileName().toString()).endsWith("-e5-small-v2-int8-static");
    assertThat(e5Smaller.getParent().getFileName().toString())
        .isEqualTo(e5.getParent().getFileName() + "-20-per-label");
  }
}
