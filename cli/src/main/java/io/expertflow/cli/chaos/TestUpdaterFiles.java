package io.expertflow.cli.chaos;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.ReplayReservoir;
import io.expertflow.updater.UpdaterBundle;
import io.expertflow.versions.BaseModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What an updater needs beside a bundle that has none of it, for the tiny TEST bundle of a chaos
 * run: a replay reservoir and a guard set made of random vectors that the head labels itself. A
 * test double of what {@code expertflow train --out} writes, named as such in the run's output.
 * Stateless.
 */
final class TestUpdaterFiles {
  private TestUpdaterFiles() {}

  /**
   * Writes a TEST replay reservoir and guard set beside {@code bundleDir} when it has none (the
   * tiny TEST bundle): random unit vectors of the head's width, labelled by the head's own answer.
   *
   * @return whether files were written
   */
  static boolean writeIfMissing(Path bundleDir, long seed) {
    Path reservoirFile = bundleDir.resolve(UpdaterBundle.RESERVOIR_FILE);
    Path guardFile = bundleDir.resolve(UpdaterBundle.GUARD_SET_FILE);
    if (Files.isRegularFile(reservoirFile) && Files.isRegularFile(guardFile)) {
      return false;
    }
    MoeHeadWeights weights = BaseModel.of(ModelBundle.load(bundleDir)).weights();
    int dim = weights.config().hidden();
    MoeHeadReference head = new MoeHeadReference(weights);
    Random random = new Random(seed);
    List<LabeledEmbedding> samples = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      float[] x = new float[dim];
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        x[d] = (float) random.nextGaussian();
        norm += x[d] * x[d];
      }
      for (int d = 0; d < dim; d++) {
        x[d] /= (float) Math.sqrt(norm);
      }
      samples.add(new LabeledEmbedding(x, head.forward(x).argmax()));
    }
    try (OutputStream r = Files.newOutputStream(reservoirFile);
        OutputStream g = Files.newOutputStream(guardFile)) {
      ReplayReservoir.of(weights, samples.subList(0, 1_600), 64, seed).writeTo(r);
      new GuardSet(weights.config().labels(), dim, samples.subList(1_600, 2_000)).writeTo(g);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the TEST reservoir and guard set: " + e, e);
    }
    return true;
  }
}
