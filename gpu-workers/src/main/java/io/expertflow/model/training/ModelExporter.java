package io.expertflow.model.training;

import io.expertflow.operators.moe.MoeHeadWeights;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a trained head as a servable model (e.g. a model bundle with its encoder). */
@FunctionalInterface
public interface ModelExporter {

  /** Writes the model into {@code dir}, which does not exist yet. */
  void export(MoeHeadWeights head, Path dir) throws IOException;
}
