package io.expertflow.updater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.ReplayReservoir;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading what the updater needs from a training output folder, as 'expertflow train' lays it. */
class UpdaterBundleTest {
  private static final List<String> LABELS = List.of("press", "learned", "fiction", "other");

  @TempDir static Path run;
  private static ModelBundle bundle;

  @BeforeAll
  static void writeTrainingOutput() throws IOException {
    bundle = ModelBundles.tiny(run.resolve(UpdaterBundle.MODEL_DIR), LABELS);
    MoeHeadWeights head = bundle.readHeadWeights();
    List<LabeledEmbedding> samples = samples(head.config().hidden(), 64, LABELS.size());
    write(run.resolve(UpdaterBundle.RESERVOIR_FILE), ReplayReservoir.of(head, samples, 8, 1L));
    GuardSet guard = new GuardSet(LABELS, head.config().hidden(), samples.subList(0, 20));
    try (OutputStream out = Files.newOutputStream(run.resolve(UpdaterBundle.GUARD_SET_FILE))) {
      guard.writeTo(out);
    }
  }

  @Test
  void shouldLoadTheTrainingOutputFolderWithItsReservoirAndGuardSet() {
    UpdaterBundle loaded = UpdaterBundle.load(run);

    assertThat(loaded.bundleDir()).isEqualTo(run.resolve(UpdaterBundle.MODEL_DIR));
    assertThat(loaded.base().name()).isEqualTo(bundle.manifest().name());
    assertThat(loaded.base().version()).isEqualTo(bundle.manifest().version());
    assertThat(loaded.replay().experts()).isEqualTo(ModelBundles.TINY_EXPERTS);
    assertThat(loaded.guard().samples()).hasSize(20);
  }

  @Test
  void shouldFindTheFilesBesideTheBundleFolderWhenGivenTheBundleItself() {
    UpdaterBundle loaded = UpdaterBundle.load(run.resolve(UpdaterBundle.MODEL_DIR));

    assertThat(loaded.base().sha256()).isEqualTo(UpdaterBundle.load(run).base().sha256());
    assertThat(loaded.guard().samples()).hasSize(20);
  }

  @Test
  void shouldSayWhichFileIsMissingAndWhatWritesIt(@TempDir Path other) throws IOException {
    ModelBundles.tiny(other.resolve(UpdaterBundle.MODEL_DIR), LABELS);
    Files.copy(
        run.resolve(UpdaterBundle.RESERVOIR_FILE), other.resolve(UpdaterBundle.RESERVOIR_FILE));

    assertThatThrownBy(() -> UpdaterBundle.load(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(UpdaterBundle.GUARD_SET_FILE)
        .hasMessageContaining("expertflow train --out DIR");
  }

  @Test
  void shouldRefuseAFolderWithoutABundle(@TempDir Path empty) {
    assertThatThrownBy(() -> UpdaterBundle.load(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no model bundle in " + empty);
  }

  @Test
  void shouldRefuseAReservoirWrittenForOtherLabels(@TempDir Path other) throws IOException {
    ModelBundles.tiny(other.resolve(UpdaterBundle.MODEL_DIR), List.of("ham", "spam"));
    Files.copy(
        run.resolve(UpdaterBundle.RESERVOIR_FILE), other.resolve(UpdaterBundle.RESERVOIR_FILE));
    Files.copy(
        run.resolve(UpdaterBundle.GUARD_SET_FILE), other.resolve(UpdaterBundle.GUARD_SET_FILE));

    assertThatThrownBy(() -> UpdaterBundle.load(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(UpdaterBundle.RESERVOIR_FILE)
        .hasMessageContaining("[press, learned, fiction, other]")
        .hasMessageContaining("[ham, spam]");
  }

  @Test
  void shouldRefuseAnEmptyGuardSet(@TempDir Path other) throws IOException {
    MoeHeadWeights head =
        ModelBundles.tiny(other.resolve(UpdaterBundle.MODEL_DIR), LABELS).readHeadWeights();
    Files.copy(
        run.resolve(UpdaterBundle.RESERVOIR_FILE), other.resolve(UpdaterBundle.RESERVOIR_FILE));
    try (OutputStream out = Files.newOutputStream(other.resolve(UpdaterBundle.GUARD_SET_FILE))) {
      new GuardSet(LABELS, head.config().hidden(), List.of()).writeTo(out);
    }

    assertThatThrownBy(() -> UpdaterBundle.load(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(UpdaterBundle.GUARD_SET_FILE + " of ")
        .hasMessageContaining("holds no documents")
        .hasMessageContaining("--guard-per-label");
  }

  private static List<LabeledEmbedding> samples(int dim, int count, int labels) {
    Random random = new Random(3);
    List<LabeledEmbedding> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] e = new float[dim];
      for (int j = 0; j < dim; j++) {
        e[j] = (float) random.nextGaussian();
      }
      out.add(new LabeledEmbedding(e, i % labels));
    }
    return out;
  }

  private static void write(Path file, ReplayReservoir reservoir) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      reservoir.writeTo(out);
    }
  }
}
