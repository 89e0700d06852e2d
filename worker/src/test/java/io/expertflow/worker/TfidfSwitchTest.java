package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundleException;
import io.expertflow.model.bundle.ModelBundleWriter;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.model.lexical.LexicalFeatures;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.worker.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tfidf.enabled} decides whether a worker answers with its bundle's TF-IDF model beside the
 * head: on by default, and switched off the model is not even parsed, so a bundle whose TF-IDF
 * model a worker would refuse still serves its head.
 */
class TfidfSwitchTest {
  private static final List<String> LABELS = List.of("a", "b", "c");

  @TempDir Path dir;

  @Test
  void shouldServeTheBundlesTfidfModelUnlessSwitchedOff() {
    ModelBundle bundle = withTfidf(LABELS, "served");
    PipelineConfig defaults = WorkerSettings.fromProperties(Map.of()).pipeline();
    PipelineConfig off = WorkerSettings.fromProperties(Map.of("tfidf.enabled", "false")).pipeline();

    assertThat(defaults.tfidf()).isTrue();
    assertThat(off.tfidf()).isFalse();
    assertThat(WorkerApp.besideHead(bundle, defaults))
        .satisfies(
            m -> {
              assertThat(m.labels()).isEqualTo(LABELS);
              assertThat(m.weight()).isEqualTo(0.5);
            });
    assertThat(WorkerApp.besideHead(bundle, off)).isNull();
  }

  @Test
  void shouldLetAWorkerServeTheHeadOfABundleWhoseTfidfModelItWouldRefuse() {
    ModelBundle bundle = withTfidf(List.of("a", "z"), "refused");
    PipelineConfig defaults = PipelineConfig.defaults();

    assertThatThrownBy(() -> WorkerApp.besideHead(bundle, defaults))
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("lexical.bin was trained on labels [a, z]");
    assertThat(WorkerApp.besideHead(bundle, defaults.withTfidf(false))).isNull();
  }

  @Test
  void shouldServeTheHeadAloneFromABundleWithoutATfidfModel() {
    ModelBundle bundle = ModelBundles.tiny(dir.resolve("plain"), LABELS);

    assertThat(bundle.hasLexical()).isFalse();
    assertThat(WorkerApp.besideHead(bundle, PipelineConfig.defaults())).isNull();
  }

  /** The tiny test bundle with a one-word TF-IDF model over {@code labels}, weight 0.5. */
  private ModelBundle withTfidf(List<String> labels, String name) {
    ModelBundle base = ModelBundles.tiny(dir.resolve(name + "-base"), LABELS);
    float[] idf = new float[LexicalFeatures.BUCKETS];
    idf[LexicalFeatures.bucket("refund")] = 1;
    float[][] w = new float[labels.size()][LexicalFeatures.BUCKETS + 1];
    w[0][LexicalFeatures.bucket("refund")] = 3;
    ModelBundle bundle =
        ModelBundleWriter.create("expertflow-tiny-test", "test-2")
            .encoderOf(base)
            .head(base.readHeadWeights())
            .lexical(LexicalModel.of(labels, 0.5, idf, w))
            .write(dir.resolve(name));
    assertThat(bundle.hasLexical()).isTrue();
    return bundle;
  }
}
