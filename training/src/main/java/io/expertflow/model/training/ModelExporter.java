package io.expertflow.model.training;

import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a trained head as a servable model (e.g. a model bundle with its encoder). */
@FunctionalInterface
public interface ModelExporter {

  /**
   * Writes the model into {@code dir}, which does not exist yet.
   *
   * @param lexical the TF-IDF model to serve beside the head, or null for the head alone
   * @param trainedMaxChunks the most chunks per document the head was trained on
   */
  void export(MoeHeadWeights head, LexicalModel lexical, int trainedMaxChunks, Path dir)
      throws IOException;
}
