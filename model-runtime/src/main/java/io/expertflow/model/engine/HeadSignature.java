package io.expertflow.model.engine;

import io.expertflow.model.onnx.MoeHeadOnnxBuilder;
import java.util.Objects;

/**
 * The tensor names of an MoE head graph.
 *
 * @param embedding float [batch, hidden] input
 * @param probabilities float [batch, labels] output
 * @param expertIndices int64 [batch, topK] output, best first
 * @param gateWeights float [batch, topK] output
 * @param domain int64 [batch] output
 */
public record HeadSignature(
    String embedding,
    String probabilities,
    String expertIndices,
    String gateWeights,
    String domain) {

  public static final String DEFAULT_EMBEDDING = MoeHeadOnnxBuilder.INPUT_EMBEDDING;
  public static final String DEFAULT_PROBABILITIES = MoeHeadOnnxBuilder.OUTPUT_PROBABILITIES;
  public static final String DEFAULT_EXPERT_INDICES = MoeHeadOnnxBuilder.OUTPUT_EXPERT_INDICES;
  public static final String DEFAULT_GATE_WEIGHTS = MoeHeadOnnxBuilder.OUTPUT_GATE_WEIGHTS;
  public static final String DEFAULT_DOMAIN = MoeHeadOnnxBuilder.OUTPUT_DOMAIN;

  public HeadSignature {
    Objects.requireNonNull(embedding, "embedding");
    Objects.requireNonNull(probabilities, "probabilities");
    Objects.requireNonNull(expertIndices, "expertIndices");
    Objects.requireNonNull(gateWeights, "gateWeights");
    Objects.requireNonNull(domain, "domain");
  }

  /** The names that {@link MoeHeadOnnxBuilder} writes. */
  public static HeadSignature defaults() {
    return new HeadSignature(
        DEFAULT_EMBEDDING,
        DEFAULT_PROBABILITIES,
        DEFAULT_EXPERT_INDICES,
        DEFAULT_GATE_WEIGHTS,
        DEFAULT_DOMAIN);
  }
}
