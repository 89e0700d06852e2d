package io.expertflow.model.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Turns a dynamically quantized ONNX model into a statically quantized one: every {@code
 * DynamicQuantizeLinear(x) -> (y, y_scale, y_zero_point)} becomes {@code QuantizeLinear(x, y_scale,
 * y_zero_point) -> y} with {@code y_scale} and {@code y_zero_point} constant initializers of the
 * same names (so their consumers stay wired), computed from calibrated {@link ActivationRanges} by
 * {@code DynamicQuantizeLinear}'s own formula. A dynamic quantizer picks its scale from the whole
 * batch tensor, padding included, so a chunk's output depends on its batch neighbours; a constant
 * scale removes that dependence.
 *
 * <p>Deterministic: the same model and ranges give the same bytes. Stateless and thread-safe.
 */
public final class StaticQuantization {
  /** The operator that is replaced. */
  public static final String DYNAMIC_QUANTIZE = "DynamicQuantizeLinear";

  private StaticQuantization() {}

  /**
   * The statically quantized model.
   *
   * @throws IllegalArgumentException if the ranges were measured on another model, or a quantizer
   *     of the model has no range
   */
  public static byte[] rewrite(byte[] dynamicModel, ActivationRanges ranges) {
    String sha = sha256(dynamicModel);
    if (!sha.equals(ranges.sourceSha256())) {
      throw new IllegalArgumentException(
          "the activation ranges belong to the model with SHA-256 "
              + ranges.sourceSha256()
              + ", not to this one ("
              + sha
              + "); calibrate this model first");
    }
    ModelProto model = parse(dynamicModel);
    GraphProto.Builder graph = model.getGraph().toBuilder();
    List<NodeProto> nodes = new ArrayList<>(graph.getNodeList());
    graph.clearNode();
    Set<String> unused = new HashSet<>(ranges.ranges().keySet());
    for (NodeProto node : nodes) {
      if (!node.getOpType().equals(DYNAMIC_QUANTIZE) || !node.getDomain().isEmpty()) {
        graph.addNode(node);
        continue;
      }
      String x = node.getInput(0);
      ActivationRanges.Range range = ranges.ranges().get(x);
      if (range == null) {
        throw new IllegalArgumentException(
            "no calibrated range for " + x + ", the input of quantizer " + node.getName());
      }
      unused.remove(x);
      float scale = scale(range);
      graph.addInitializer(
          scalar(node.getOutput(1), TensorProto.DataType.FLOAT, floatBytes(scale)));
      graph.addInitializer(
          scalar(
              node.getOutput(2),
              TensorProto.DataType.UINT8,
              new byte[] {(byte) zeroPoint(range, scale)}));
      graph.addNode(
          NodeProto.newBuilder()
              .setName(node.getName())
              .setOpType("QuantizeLinear")
              .addInput(x)
              .addInput(node.getOutput(1))
              .addInput(node.getOutput(2))
              .addOutput(node.getOutput(0)));
    }
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException(
          "the activation ranges name tensors that no quantizer of the model reads: " + unused);
    }
    return model.toBuilder()
        .setGraph(graph)
        .setProducerName("expertflow static quantization")
        .build()
        .toByteArray();
  }

  /**
   * The model with the input of every dynamic quantizer added as a graph output (float, any shape),
   * for calibration.
   */
  public static byte[] exposeQuantizerInputs(byte[] dynamicModel) {
    ModelProto model = parse(dynamicModel);
    GraphProto.Builder graph = model.getGraph().toBuilder();
    for (String name : quantizerInputs(dynamicModel)) {
      graph.addOutput(
          ValueInfoProto.newBuilder()
              .setName(name)
              .setType(
                  TypeProto.newBuilder()
                      .setTensorType(
                          TypeProto.Tensor.newBuilder()
                              .setElemType(TensorProto.DataType.FLOAT.getNumber()))));
    }
    return model.toBuilder().setGraph(graph).build().toByteArray();
  }

  /** The input of every dynamic quantizer, in graph order. */
  public static List<String> quantizerInputs(byte[] model) {
    List<String> out = new ArrayList<>();
    for (NodeProto node : parse(model).getGraph().getNodeList()) {
      if (node.getOpType().equals(DYNAMIC_QUANTIZE) && node.getDomain().isEmpty()) {
        out.add(node.getInput(0));
      }
    }
    return out;
  }

  /** {@code DynamicQuantizeLinear}'s scale for a tensor whose values span {@code range}. */
  static float scale(ActivationRanges.Range range) {
    float min = Math.min(0f, range.min());
    float max = Math.max(0f, range.max());
    float scale = (max - min) / 255f;
    return scale > 0f ? scale : 1f;
  }

  /** {@code DynamicQuantizeLinear}'s zero point: round half to even, saturated to uint8. */
  static int zeroPoint(ActivationRanges.Range range, float scale) {
    float min = Math.min(0f, range.min());
    double zp = Math.rint(-min / scale);
    return (int) Math.max(0, Math.min(255, zp));
  }

  private static TensorProto scalar(String name, TensorProto.DataType type, byte[] raw) {
    return TensorProto.newBuilder()
        .setName(name)
        .setDataType(type.getNumber())
        .setRawData(ByteString.copyFrom(raw))
        .build();
  }

  private static byte[] floatBytes(float value) {
    return ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array();
  }

  /** The SHA-256 of {@code bytes}, as lower-case hex. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private static ModelProto parse(byte[] model) {
    try {
      return ModelProto.parseFrom(model);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
    }
  }
}
