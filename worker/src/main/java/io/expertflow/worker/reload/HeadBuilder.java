package io.expertflow.worker.reload;

import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.model.engine.HeadSignature;
import io.expertflow.model.onnx.MoeHeadOnnxBuilder;
import io.expertflow.operators.moe.MoeHeadWeights;

/** Opens a head session for a set of weights. Implementations must be thread-safe. */
@FunctionalInterface
public interface HeadBuilder {
  HeadSession open(MoeHeadWeights weights);

  /** Builds the ONNX graph of the weights and opens it on {@code engine}. */
  static HeadBuilder onnx(Engine engine, HeadSignature signature) {
    return weights ->
        engine.openHead(MoeHeadOnnxBuilder.build(weights), signature, weights.config());
  }
}
