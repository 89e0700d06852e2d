package io.expertflow.model.onnx;

import static io.expertflow.model.onnx.OnnxGraph.attr;
import static io.expertflow.model.onnx.OnnxGraph.attrs;
import static io.expertflow.model.onnx.OnnxGraph.in;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.util.Map;

/**
 * Builds the MoE head as an ONNX model (opset {@value OnnxGraph#OPSET}) that reproduces {@link
 * io.expertflow.operators.moe.MoeHeadReference} exactly: same experts, same domains, the same
 * probabilities up to float rounding.
 *
 * <p>The weights become initializers named as in {@link MoeHeadWeights#tensors()}, so a tool that
 * reads the graph finds {@code experts.w1} and so on. All base experts are computed densely (one
 * Gemm over the stacked first layers, one batched MatMul for the second), then the chosen experts'
 * outputs are gathered; on a GPU this beats a data-dependent gather of weights, and on a CPU the
 * head costs a fraction of the encoder.
 *
 * <p>Stateless; {@link #build} may be called from any thread on weights that nobody mutates
 * meanwhile.
 */
public final class MoeHeadOnnxBuilder {
  /** Input: document embeddings, float [batch, hidden]. */
  public static final String INPUT_EMBEDDING = "embedding";

  /** Output: label probabilities, float [batch, labels]. */
  public static final String OUTPUT_PROBABILITIES = "probabilities";

  /** Output: chosen base experts, best first, int64 [batch, topK]. */
  public static final String OUTPUT_EXPERT_INDICES = "expert_indices";

  /** Output: gate weights of the chosen experts, float [batch, topK]. */
  public static final String OUTPUT_GATE_WEIGHTS = "gate_weights";

  /** Output: the domain expert that combined them, int64 [batch]. */
  public static final String OUTPUT_DOMAIN = "domain";

  private static final String BATCH = "batch";

  private MoeHeadOnnxBuilder() {}

  /** The serialized ONNX model of the head with these weights. */
  public static byte[] build(MoeHeadWeights weights) {
    MoeHeadConfig c = weights.config();
    long e = c.experts();
    long h = c.hidden();
    long m = c.expertHidden();
    long l = c.labelCount();
    OnnxGraph g = new OnnxGraph("expertflow_moe_head");
    String x = g.input(INPUT_EMBEDDING, DataType.FLOAT, BATCH, c.hidden());
    Map<String, MoeHeadWeights.Tensor> tensors = weights.tensors();
    tensors.forEach((name, t) -> g.floats(name, t.data(), toLongs(t.shape())));

    // gate and top-k selection on the route-biased logits; the gates use the unbiased ones
    String logits = g.op("Gemm", in(x, "gate.weight", "gate.bias"), attr("transB", 1L));
    String scores = g.op("Add", in(logits, "gate.route_bias"));
    g.opMulti(
        "TopK",
        in(scores, g.constLongs(c.topK())),
        new String[] {"topk_values", OUTPUT_EXPERT_INDICES},
        attr("axis", -1L),
        attr("largest", 1L),
        attr("sorted", 1L));
    String chosenLogits =
        g.op("GatherElements", in(logits, OUTPUT_EXPERT_INDICES), attr("axis", 1L));
    String gates = g.opNamed(OUTPUT_GATE_WEIGHTS, "Softmax", in(chosenLogits), attr("axis", -1L));

    // every base expert densely: y[b, e, :] = W2_e relu(W1_e x_b + b1_e) + b2_e
    String w1 = g.op("Reshape", in("experts.w1", g.constLongs(e * m, h)));
    String b1 = g.op("Reshape", in("experts.b1", g.constLongs(e * m)));
    String hidden = g.op("Relu", in(g.op("Gemm", in(x, w1, b1), attr("transB", 1L))));
    String hidden4 = g.op("Reshape", in(hidden, g.constLongs(-1, e, 1, m)));
    String w2t = g.op("Transpose", in("experts.w2"), attrs("perm", 0, 2, 1));
    String y4 = g.op("MatMul", in(hidden4, w2t));
    String y = g.op("Add", in(g.op("Reshape", in(y4, g.constLongs(-1, e, l))), "experts.b2"));

    // mixture of the chosen experts' outputs
    String index3 = g.op("Unsqueeze", in(OUTPUT_EXPERT_INDICES, g.constLongs(2)));
    String chosenY = g.op("GatherND", in(y, index3), attr("batch_dims", 1L));
    String gates3 = g.op("Unsqueeze", in(gates, g.constLongs(2)));
    String mix =
        g.op(
            "ReduceSum",
            in(g.op("Mul", in(gates3, chosenY)), g.constLongs(1)),
            attr("keepdims", 0L));

    // domain: the one whose chosen experts carry the largest total gate weight
    String domainOfChosen = g.op("Div", in(OUTPUT_EXPERT_INDICES, g.constLong(e / c.domains())));
    String oneHot =
        g.op(
            "OneHot",
            in(
                domainOfChosen,
                g.constLong(c.domains()),
                g.floats("onehot_values", new float[] {0f, 1f}, 2)),
            attr("axis", -1L));
    String totals =
        g.op(
            "ReduceSum",
            in(g.op("Mul", in(gates3, oneHot)), g.constLongs(1)),
            attr("keepdims", 0L));
    String domain =
        g.opNamed(
            OUTPUT_DOMAIN,
            "ArgMax",
            in(totals),
            attr("axis", 1L),
            attr("keepdims", 0L),
            attr("select_last_index", 0L));

    String scale = g.op("Gather", in("domains.scale", domain), attr("axis", 0L));
    String bias = g.op("Gather", in("domains.bias", domain), attr("axis", 0L));
    String combined = g.op("Add", in(g.op("Mul", in(scale, mix)), bias));
    g.opNamed(OUTPUT_PROBABILITIES, "Softmax", in(combined), attr("axis", -1L));

    g.output(OUTPUT_PROBABILITIES, DataType.FLOAT, BATCH, c.labelCount());
    g.output(OUTPUT_EXPERT_INDICES, DataType.INT64, BATCH, c.topK());
    g.output(OUTPUT_GATE_WEIGHTS, DataType.FLOAT, BATCH, c.topK());
    g.output(OUTPUT_DOMAIN, DataType.INT64, BATCH);
    return g.toModelBytes("expertflow");
  }

  private static long[] toLongs(int[] shape) {
    long[] out = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      out[i] = shape[i];
    }
    return out;
  }
}
