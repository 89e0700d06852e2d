package io.expertflow.model.onnx;

import static io.expertflow.model.onnx.OnnxGraph.attr;
import static io.expertflow.model.onnx.OnnxGraph.attrs;
import static io.expertflow.model.onnx.OnnxGraph.in;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.Random;

/**
 * Builds a tiny but real encoder graph for tests: BERT's inputs and output names over the MiniLM
 * vocabulary, seeded random weights, one transformer-style layer (masked single-head self-attention
 * and a ReLU feed-forward block, each with a residual connection). It knows nothing of language; it
 * exists so that delivery tests run the genuine ONNX path on thousands of documents in seconds. It
 * is a test encoder and never a default.
 *
 * <p>The token table is stored as int8 and dequantized after the lookup, which keeps the model
 * around 1 MB at width 32. Stateless and thread-safe.
 */
public final class TinyEncoderBuilder {
  /** The vocabulary size of all-MiniLM-L6-v2 (BERT uncased). */
  public static final int VOCAB_SIZE = 30522;

  /** Positions the encoder accepts, as MiniLM. */
  public static final int MAX_POSITIONS = 512;

  /** Default embedding width. */
  public static final int DEFAULT_WIDTH = 32;

  private static final String BATCH = "batch";
  private static final String SEQ = "sequence";

  private TinyEncoderBuilder() {}

  /** The serialized model with embedding width {@code width}, weights drawn from {@code seed}. */
  public static byte[] build(int width, long seed) {
    if (width < 2 || width > 1024) {
      throw new IllegalArgumentException("width must be in [2, 1024], was " + width);
    }
    Random random = new Random(seed);
    OnnxGraph g = new OnnxGraph("expertflow_tiny_test_encoder");
    String ids = g.input("input_ids", DataType.INT64, BATCH, SEQ);
    String mask = g.input("attention_mask", DataType.INT64, BATCH, SEQ);
    String types = g.input("token_type_ids", DataType.INT64, BATCH, SEQ);

    // embeddings: int8 token table (dequantized after the lookup) + positions + token types
    byte[] table = new byte[VOCAB_SIZE * width];
    random.nextBytes(table);
    g.bytes("embeddings.word_q", table, VOCAB_SIZE, width);
    String wordQ = g.op("Gather", in("embeddings.word_q", ids), attr("axis", 0L));
    String word = g.op("DequantizeLinear", in(wordQ, g.constFloat(1f / 256f), int8Zero(g)));
    String seqLen = g.op("Gather", in(g.op("Shape", in(ids)), g.constLong(1)), attr("axis", 0L));
    String positions = g.op("Range", in(g.constLong(0), seqLen, g.constLong(1)));
    g.floats(
        "embeddings.position", gaussian(random, MAX_POSITIONS * width, 0.1), MAX_POSITIONS, width);
    String pos = g.op("Gather", in("embeddings.position", positions), attr("axis", 0L));
    g.floats("embeddings.token_type", gaussian(random, 2 * width, 0.1), 2, width);
    String type = g.op("Gather", in("embeddings.token_type", types), attr("axis", 0L));
    String h0 = g.op("Add", in(g.op("Add", in(word, pos)), type));

    // masked self-attention, one head
    String q = g.op("MatMul", in(h0, matrix(g, "attention.q", random, width, width)));
    String k = g.op("MatMul", in(h0, matrix(g, "attention.k", random, width, width)));
    String v = g.op("MatMul", in(h0, matrix(g, "attention.v", random, width, width)));
    String kt = g.op("Transpose", in(k), attrs("perm", 0, 2, 1));
    String scores =
        g.op("Mul", in(g.op("MatMul", in(q, kt)), g.constFloat((float) (1 / Math.sqrt(width)))));
    String maskF = g.op("Cast", in(mask), attr("to", (long) DataType.FLOAT.getNumber()));
    String blocked = g.op("Mul", in(g.op("Sub", in(g.constFloat(1f), maskF)), g.constFloat(-1e4f)));
    String maskBias = g.op("Unsqueeze", in(blocked, g.constLongs(1)));
    String attention = g.op("Softmax", in(g.op("Add", in(scores, maskBias))), attr("axis", -1L));
    String context = g.op("MatMul", in(attention, v));
    String out = matrix(g, "attention.out", random, width, width);
    String h1 = g.op("Add", in(h0, g.op("MatMul", in(context, out))));

    // feed-forward block
    int inner = 2 * width;
    String f1 = g.op("MatMul", in(h1, matrix(g, "ffn.w1", random, width, inner)));
    String a = g.op("Relu", in(g.op("Add", in(f1, g.floats("ffn.b1", new float[inner], inner)))));
    String f2 = g.op("MatMul", in(a, matrix(g, "ffn.w2", random, inner, width)));
    g.opNamed("last_hidden_state", "Add", in(h1, f2));
    g.output("last_hidden_state", DataType.FLOAT, BATCH, SEQ, width);
    return g.toModelBytes("expertflow-test");
  }

  private static String int8Zero(OnnxGraph g) {
    return g.bytes("embeddings.word_zero_point", new byte[] {0});
  }

  private static String matrix(OnnxGraph g, String name, Random random, int rows, int cols) {
    return g.floats(name, gaussian(random, rows * cols, 1 / Math.sqrt(rows)), rows, cols);
  }

  private static float[] gaussian(Random random, int n, double std) {
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = (float) (random.nextGaussian() * std);
    }
    return data;
  }
}
