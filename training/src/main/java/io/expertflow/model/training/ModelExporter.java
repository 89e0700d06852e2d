package io.expertflow.model.training;

import io.expertflow.operators.moe.MoeHeadWeights;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a trained head as a servable model (e.g. a model bundle with its encoder). */
@FunctionalInterface
public interface ModelExporter {

  /**
   * Writes the model into {@code dir}, which does not exist yet.
   *
   * @param trainedMaxChunks the most chunks per document the head was trained on
   */
  void export(MoeHeadWeights head, int trainedMaxChunks, Path dir) throws IOException;
}
