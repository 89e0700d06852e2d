package io.expertflow.model.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a dynamically quantized ONNX model into a statically quantized one: every {@code
 * DynamicQuantizeLinear(x) -> (y, y_scale, y_zero_point)} becomes {@code QuantizeLinear(x, y_scale,
 * y_zero_point) -> y} with {@code y_scale} and {@code y_zero_point} constant initializers of the
 * same names (so their consumers stay wired), computed from calibrated {@link ActivationRanges} by
 * {@code DynamicQuantizeLinear}'s own formula. A dynamic quantizer picks its scale from the whole
 * batch tensor, padding included, so a chunk's output depends on its batch neighbours; a constant
 * scale removes that dependence. Each integer product with its constant scales then becomes one
 * {@code MatMulIntegerToFloat} ({@link #fuseIntegerMatMuls}).
 *
 * <p>Deterministic: the same model and ranges give the same bytes. Stateless and thread-safe.
 */
public final class StaticQuantization {
  /** The operator that is replaced. */
  public static final String DYNAMIC_QUANTIZE = "DynamicQuantizeLinear";

  private static final String MS_DOMAIN = "com.microsoft";

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
    ModelProto.Builder out = model.toBuilder().setProducerName("expertflow static quantization");
    if (fuseIntegerMatMuls(graph)
        && out.getOpsetImportList().stream().noneMatch(o -> o.getDomain().equals(MS_DOMAIN))) {
      out.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MS_DOMAIN).setVersion(1));
    }
    return out.setGraph(graph).build().toByteArray();
  }

  /**
   * Replaces each {@code MatMulInteger -> Cast(float) -> Mul(Mul(a_scale, b_scale))} chain whose
   * scales are constants by ONNX Runtime's {@code MatMulIntegerToFloat} (domain {@code
   * com.microsoft}), the operator its optimiser fuses the same chain into when the scale comes from
   * a dynamic quantizer, and which it cannot fuse once the scale is a constant: one pass over the
   * product instead of three (int32 result, cast, scale).
   *
   * @return whether any chain was fused
   */
  static boolean fuseIntegerMatMuls(GraphProto.Builder graph) {
    Set<String> constants = new HashSet<>();
    graph.getInitializerList().forEach(t -> constants.add(t.getName()));
    Map<String, List<NodeProto>> consumers = new HashMap<>();
    Map<String, NodeProto> producers = new HashMap<>();
    for (NodeProto n : graph.getNodeList()) {
      n.getInputList().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
      n.getOutputList().forEach(o -> producers.put(o, n));
    }
    Set<NodeProto> dropped = new HashSet<>();
    Map<NodeProto, NodeProto> replaced = new HashMap<>();
    for (NodeProto m : graph.getNodeList()) {
      if (!m.getOpType().equals("MatMulInteger") || !m.getDomain().isEmpty()) {
        continue;
      }
      NodeProto cast = only(consumers.get(m.getOutput(0)));
      if (cast == null
          || !cast.getOpType().equals("Cast")
          || cast.getAttributeCount() != 1
          || cast.getAttribute(0).getI() != TensorProto.DataType.FLOAT.getNumber()) {
        continue;
      }
      NodeProto mul = only(consumers.get(cast.getOutput(0)));
      if (mul == null || !mul.getOpType().equals("Mul") || mul.getInputCount() != 2) {
        continue;
      }
      String scaleName =
          mul.getInput(0).equals(cast.getOutput(0)) ? mul.getInput(1) : mul.getInput(0);
      NodeProto scales = producers.get(scaleName);
      if (scales == null
          || !scales.getOpType().equals("Mul")
          || scales.getInputCount() != 2
          || !constants.containsAll(scales.getInputList())) {
        continue;
      }
      NodeProto.Builder fused =
          NodeProto.newBuilder()
              .setName(m.getName() + "_to_float")
              .setOpType("MatMulIntegerToFloat")
              .setDomain(MS_DOMAIN)
              .addInput(m.getInput(0))
              .addInput(m.getInput(1))
              .addInput(scales.getInput(0))
              .addInput(scales.getInput(1))
              .addInput(m.getInputCount() > 2 ? m.getInput(2) : "")
              .addInput(m.getInputCount() > 3 ? m.getInput(3) : "");
      // a constant bias added to the product joins it (one pass less)
      NodeProto add = only(consumers.get(mul.getOutput(0)));
      String bias =
          add == null || !add.getOpType().equals("Add") || add.getInputCount() != 2
              ? null
              : add.getInput(0).equals(mul.getOutput(0)) ? add.getInput(1) : add.getInput(0);
      if (bias != null && constants.contains(bias) && rank(graph, bias) == 1) {
        fused.addInput(bias).addOutput(add.getOutput(0));
        dropped.add(add);
      } else {
        fused.addOutput(mul.getOutput(0));
      }
      replaced.put(m, fused.build());
      dropped.add(cast);
      dropped.add(mul);
      if (consumers.get(scaleName).size() == 1) {
        dropped.add(scales);
      }
    }
    if (replaced.isEmpty()) {
      return false;
    }
    List<NodeProto> nodes = new ArrayList<>(graph.getNodeList());
    graph.clearNode();
    for (NodeProto n : nodes) {
      if (!dropped.contains(n)) {
        graph.addNode(replaced.getOrDefault(n, n));
      }
    }
    return true;
  }

  private static int rank(GraphProto.Builder graph, String initializer) {
    return graph.getInitializerList().stream()
        .filter(t -> t.getName().equals(initializer))
        .findFirst()
        .map(TensorProto::getDimsCount)
        .orElse(-1);
  }

  private static NodeProto only(List<NodeProto> nodes) {
    return nodes != null && nodes.size() == 1 ? nodes.get(0) : null;
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
