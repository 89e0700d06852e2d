package io.expertflow.model.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A small writer of ONNX graphs over the generated protobuf classes: typed inputs and outputs with
 * symbolic or fixed dimensions, initializers stored as little-endian raw data, and nodes. Each
 * builder method returns the name of the value it defines, so graphs read as expressions.
 *
 * <p>Not thread-safe; one instance builds one model.
 */
public final class OnnxGraph {
  /** The ONNX operator set the project's graphs are written for. */
  public static final int OPSET = 17;

  /** The IR version that goes with {@link #OPSET}. */
  public static final int IR_VERSION = 8;

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private int counter;

  public OnnxGraph(String name) {
    graph.setName(name);
  }

  /** Declares a graph input; a dimension is an Integer (fixed) or a String (symbolic). */
  public String input(String name, TensorProto.DataType type, Object... dims) {
    graph.addInput(valueInfo(name, type, dims));
    return name;
  }

  /** Declares a graph output. */
  public void output(String name, TensorProto.DataType type, Object... dims) {
    graph.addOutput(valueInfo(name, type, dims));
  }

  /** A float initializer of the given shape. */
  public String floats(String name, float[] data, long... dims) {
    checkSize(name, data.length, dims);
    ByteBuffer bytes =
        ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(data);
    return raw(name, TensorProto.DataType.FLOAT, bytes.array(), dims);
  }

  /** An int64 initializer of the given shape. */
  public String longs(String name, long[] data, long... dims) {
    checkSize(name, data.length, dims);
    ByteBuffer bytes = ByteBuffer.allocate(data.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asLongBuffer().put(data);
    return raw(name, TensorProto.DataType.INT64, bytes.array(), dims);
  }

  /** An int8 initializer of the given shape. */
  public String bytes(String name, byte[] data, long... dims) {
    checkSize(name, data.length, dims);
    return raw(name, TensorProto.DataType.INT8, data.clone(), dims);
  }

  /** A 1-D int64 constant with a generated name, for shapes, axes and indices. */
  public String constLongs(long... values) {
    return longs(fresh("const"), values, values.length);
  }

  /** A scalar float constant with a generated name. */
  public String constFloat(float value) {
    return floats(fresh("const"), new float[] {value});
  }

  /** A scalar int64 constant with a generated name. */
  public String constLong(long value) {
    return longs(fresh("const"), new long[] {value});
  }

  /** Adds a node with one output, named after the operator; returns the output's name. */
  public String op(String opType, String[] inputs, AttributeProto... attributes) {
    return opNamed(fresh(opType.toLowerCase(java.util.Locale.ROOT)), opType, inputs, attributes);
  }

  /** Adds a node with one output of the given name. */
  public String opNamed(String output, String opType, String[] inputs, AttributeProto... attrs) {
    return opMulti(opType, inputs, new String[] {output}, attrs)[0];
  }

  /** Adds a node with several outputs of the given names. */
  public String[] opMulti(String opType, String[] inputs, String[] outputs, AttributeProto... a) {
    graph.addNode(
        NodeProto.newBuilder()
            .setName(fresh("node_" + opType))
            .setOpType(opType)
            .addAllInput(Arrays.asList(inputs))
            .addAllOutput(Arrays.asList(outputs))
            .addAllAttribute(Arrays.asList(a)));
    return outputs;
  }

  /** An integer attribute. */
  public static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  /** A float attribute. */
  public static AttributeProto attr(String name, float value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.FLOAT)
        .setF(value)
        .build();
  }

  /** An integer-list attribute. */
  public static AttributeProto attrs(String name, long... values) {
    AttributeProto.Builder b =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      b.addInts(v);
    }
    return b.build();
  }

  /** Shorthand for an input list. */
  public static String[] in(String... names) {
    return names;
  }

  /** The serialized model, ready for ONNX Runtime or a file. */
  public byte[] toModelBytes(String producer) {
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName(producer)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph)
        .build()
        .toByteArray();
  }

  private String raw(String name, TensorProto.DataType type, byte[] data, long... dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t.setRawData(ByteString.copyFrom(data)));
    return name;
  }

  private String fresh(String prefix) {
    return prefix + "_" + counter++;
  }

  private static void checkSize(String name, int length, long... dims) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    if (n != length) {
      throw new IllegalArgumentException(
          "initializer "
              + name
              + " of shape "
              + Arrays.toString(dims)
              + " needs "
              + n
              + " values, got "
              + length);
    }
  }

  private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof Integer fixed) {
        dim.setDimValue(fixed);
      } else {
        dim.setDimParam(String.valueOf(d));
      }
      shape.addDim(dim);
    }
    TypeProto.Tensor tensor =
        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape).build();
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensor))
        .build();
  }
}
