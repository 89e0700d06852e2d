package io.expertflow.model.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeOutput;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs an MoE head graph on document embeddings: label probabilities, the chosen experts with their
 * gate weights, and the domain expert, per document.
 *
 * <p>Thread-safe: {@link #route} may be called from several threads at once (the head is small;
 * inputs are copied into a fresh tensor per call). {@link #close} must not overlap a call.
 */
public final class HeadSession implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final HeadSignature signature;
  private final MoeHeadConfig head;
  private final Set<String> outputs;

  HeadSession(OrtEnvironment env, OrtSession session, HeadSignature signature, MoeHeadConfig head) {
    this.env = env;
    this.session = session;
    this.signature = signature;
    this.head = head;
    this.outputs =
        Set.of(
            signature.probabilities(),
            signature.expertIndices(),
            signature.gateWeights(),
            signature.domain());
    if (!session.getInputNames().contains(signature.embedding())
        || !session.getOutputNames().containsAll(outputs)) {
      Engine.closeQuietly(session);
      throw new EngineException(
          "the head model does not match its signature: expected input "
              + signature.embedding()
              + " and outputs "
              + outputs
              + ", the model has inputs "
              + session.getInputNames()
              + " and outputs "
              + session.getOutputNames());
    }
  }

  public MoeHeadConfig config() {
    return head;
  }

  /**
   * Routes a batch of document embeddings.
   *
   * @param embeddings one embedding of size {@code hidden} per document
   * @return one output per document, in input order
   * @throws IllegalArgumentException on an empty batch or an embedding of the wrong size
   * @throws EngineException if ONNX Runtime fails
   */
  public List<MoeOutput> route(float[][] embeddings) {
    if (embeddings == null || embeddings.length == 0) {
      throw new IllegalArgumentException("empty batch: the head needs at least one embedding");
    }
    int h = head.hidden();
    FloatBuffer input = FloatBuffer.allocate(embeddings.length * h);
    for (int b = 0; b < embeddings.length; b++) {
      if (embeddings[b].length != h) {
        throw new IllegalArgumentException(
            "embedding " + b + " has " + embeddings[b].length + " values, the head expects " + h);
      }
      input.put(embeddings[b]);
    }
    input.flip();
    try (OnnxTensor tensor =
            OnnxTensor.createTensor(env, input, new long[] {embeddings.length, h});
        OrtSession.Result result = session.run(Map.of(signature.embedding(), tensor), outputs)) {
      return unpack(embeddings.length, result);
    } catch (OrtException e) {
      throw new EngineException(
          "the head failed on a batch of " + embeddings.length + " embeddings: " + e.getMessage(),
          e);
    }
  }

  private List<MoeOutput> unpack(int batch, OrtSession.Result result) {
    int l = head.labelCount();
    int k = head.topK();
    FloatBuffer probs = floats(result, signature.probabilities());
    LongBuffer experts = longs(result, signature.expertIndices());
    FloatBuffer gates = floats(result, signature.gateWeights());
    LongBuffer domains = longs(result, signature.domain());
    List<MoeOutput> out = new ArrayList<>(batch);
    for (int b = 0; b < batch; b++) {
      float[] p = new float[l];
      probs.get(b * l, p);
      int[] chosen = new int[k];
      float[] g = new float[k];
      for (int j = 0; j < k; j++) {
        chosen[j] = (int) experts.get(b * k + j);
        g[j] = gates.get(b * k + j);
      }
      out.add(new MoeOutput(p, chosen, g, (int) domains.get(b)));
    }
    return out;
  }

  private static FloatBuffer floats(OrtSession.Result result, String name) {
    return ((OnnxTensor) result.get(name).orElseThrow()).getFloatBuffer();
  }

  private static LongBuffer longs(OrtSession.Result result, String name) {
    return ((OnnxTensor) result.get(name).orElseThrow()).getLongBuffer();
  }

  @Override
  public void close() {
    Engine.closeQuietly(session);
  }
}
