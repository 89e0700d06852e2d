package io.expertflow.model.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Runs a BERT-style sentence encoder on a batch of chunks and returns one pooled (mean or {@code
 * [CLS]}, as its {@link EncoderSignature} says), L2-normalised embedding per chunk.
 *
 * <p>Each chunk is a complete encoder input (token ids with the special tokens, e.g. {@code [CLS]
 * ... [SEP]}, as the chunker emits them). A batch is padded to its longest chunk; padding never
 * enters the mean because the attention mask excludes it.
 *
 * <p>Thread-safe: {@link #embed} may be called from several threads at once (ONNX Runtime's {@code
 * run} is thread-safe); each call borrows its own direct input buffers from a pool that holds one
 * set per concurrent caller, so buffers are reused between batches without being shared. A worker
 * normally drives one session from one engine thread. {@link #close} must not overlap a call.
 */
public final class EncoderSession implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final EncoderSignature signature;
  private final boolean feedsTokenTypes;
  private final ConcurrentLinkedQueue<InputBuffers> pool = new ConcurrentLinkedQueue<>();

  EncoderSession(OrtEnvironment env, OrtSession session, EncoderSignature signature) {
    this.env = env;
    this.session = session;
    this.signature = signature;
    Set<String> inputs = session.getInputNames();
    Set<String> outputs = session.getOutputNames();
    if (!inputs.contains(signature.inputIds())
        || !inputs.contains(signature.attentionMask())
        || !outputs.contains(signature.lastHiddenState())) {
      Engine.closeQuietly(session);
      throw new EngineException(
          "the encoder model does not match its signature: expected inputs "
              + List.of(signature.inputIds(), signature.attentionMask())
              + " and output "
              + signature.lastHiddenState()
              + ", the model has inputs "
              + inputs
              + " and outputs "
              + outputs);
    }
    this.feedsTokenTypes = inputs.contains(signature.tokenTypeIds());
  }

  public EncoderSignature signature() {
    return signature;
  }

  /** The embedding size, read from the model's output shape; -1 if the model leaves it open. */
  public int hiddenSize() {
    try {
      NodeInfo info = session.getOutputInfo().get(signature.lastHiddenState());
      long[] shape = ((TensorInfo) info.getInfo()).getShape();
      return (int) shape[shape.length - 1];
    } catch (OrtException e) {
      throw new EngineException("cannot read the encoder's output shape: " + e.getMessage(), e);
    }
  }

  /**
   * Embeds a batch of chunks.
   *
   * @param chunks token ids per chunk, each 1 to {@code maxSequenceLength} long
   * @return one unit-length embedding per chunk, in input order
   * @throws IllegalArgumentException on an empty batch, an empty chunk or a chunk that is too long
   * @throws EngineException if ONNX Runtime fails on the batch
   */
  public float[][] embed(List<int[]> chunks) {
    int seq = checkBatch(chunks);
    int batch = chunks.size();
    InputBuffers buffers = pool.poll();
    if (buffers == null) {
      buffers = new InputBuffers();
    }
    try {
      buffers.fill(chunks, seq);
      long[] shape = {batch, seq};
      Map<String, OnnxTensor> inputs = new HashMap<>();
      try {
        inputs.put(signature.inputIds(), OnnxTensor.createTensor(env, buffers.ids, shape));
        inputs.put(signature.attentionMask(), OnnxTensor.createTensor(env, buffers.mask, shape));
        if (feedsTokenTypes) {
          inputs.put(signature.tokenTypeIds(), OnnxTensor.createTensor(env, buffers.types, shape));
        }
        try (OrtSession.Result result = session.run(inputs, Set.of(signature.lastHiddenState()))) {
          OnnxValue out = result.get(signature.lastHiddenState()).orElseThrow();
          long[] outShape = ((TensorInfo) out.getInfo()).getShape();
          return MeanPooling.pool(
              ((OnnxTensor) out).getFloatBuffer(), outShape, chunks, signature.pooling());
        }
      } finally {
        inputs.values().forEach(OnnxTensor::close);
      }
    } catch (OrtException e) {
      throw new EngineException(
          "the encoder failed on a batch of "
              + batch
              + " chunks of up to "
              + seq
              + " tokens: "
              + e.getMessage(),
          e);
    } finally {
      pool.offer(buffers);
    }
  }

  private int checkBatch(List<int[]> chunks) {
    if (chunks == null || chunks.isEmpty()) {
      throw new IllegalArgumentException("empty batch: the encoder needs at least one chunk");
    }
    int longest = 0;
    for (int i = 0; i < chunks.size(); i++) {
      int length = chunks.get(i).length;
      if (length == 0) {
        throw new IllegalArgumentException("chunk " + i + " of the batch has no tokens");
      }
      if (length > signature.maxSequenceLength()) {
        throw new IllegalArgumentException(
            "chunk "
                + i
                + " has "
                + length
                + " tokens, more than the encoder's maximum of "
                + signature.maxSequenceLength()
                + "; split the document into shorter chunks");
      }
      longest = Math.max(longest, length);
    }
    return longest;
  }

  @Override
  public void close() {
    Engine.closeQuietly(session);
    pool.clear();
  }

  /** Mean pooling under the mask (or the first token's state), then L2 normalisation. */
  static final class MeanPooling {
    private MeanPooling() {}

    static float[][] pool(FloatBuffer hidden, long[] shape, List<int[]> chunks) {
      return pool(hidden, shape, chunks, Pooling.MEAN);
    }

    static float[][] pool(FloatBuffer hidden, long[] shape, List<int[]> chunks, Pooling pooling) {
      int seq = (int) shape[1];
      int width = (int) shape[2];
      float[][] out = new float[chunks.size()][width];
      for (int b = 0; b < out.length; b++) {
        int tokens = pooling == Pooling.CLS ? 1 : chunks.get(b).length;
        float[] sum = out[b];
        for (int t = 0; t < tokens; t++) {
          int base = (b * seq + t) * width;
          for (int i = 0; i < width; i++) {
            sum[i] += hidden.get(base + i);
          }
        }
        for (int i = 0; i < width; i++) {
          sum[i] /= tokens;
        }
        DocumentEmbedding.normalise(sum);
      }
      return out;
    }
  }
}
