package io.expertflow.versions;

import io.expertflow.avro.ExpertWeights;
import io.expertflow.avro.NamedTensor;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ExpertWeights} records to and from an expert's tensors. The checksum is the SHA-256 (lower
 * case hex) over, for each tensor in record order: the UTF-8 name, a zero byte, the rank and each
 * dimension as 4-byte big-endian ints, then the data bytes as stored (float32 little-endian). A
 * worker checks it before loading. Stateless.
 */
public final class ExpertWeightsCodec {
  private ExpertWeightsCodec() {}

  /** The record of one expert's tensors (as {@link MoeHeadWeights#expertTensors} names them). */
  public static ExpertWeights encode(
      String model, String version, int expert, Map<String, MoeHeadWeights.Tensor> tensors) {
    List<NamedTensor> named = new ArrayList<>(tensors.size());
    tensors.forEach(
        (name, t) -> {
          ByteBuffer data =
              ByteBuffer.allocate(t.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
          data.asFloatBuffer().put(t.data());
          List<Integer> shape = new ArrayList<>();
          for (int d : t.shape()) {
            shape.add(d);
          }
          named.add(new NamedTensor(name, shape, data));
        });
    return new ExpertWeights(model, version, expert, named, sha256(named));
  }

  /**
   * The tensors of a record, after checking its checksum.
   *
   * @throws ExpertWeightsException if the checksum differs or a tensor's data does not fit its
   *     shape
   */
  public static Map<String, MoeHeadWeights.Tensor> decode(ExpertWeights record) {
    String actual = sha256(record.getTensors());
    if (!actual.equals(record.getSha256())) {
      throw new ExpertWeightsException(
          "expert "
              + record.getExpert()
              + " of version "
              + record.getModelVersion()
              + ": checksum mismatch, record says "
              + record.getSha256()
              + ", tensors hash to "
              + actual
              + "; the record is corrupt and is not loaded");
    }
    Map<String, MoeHeadWeights.Tensor> out = new LinkedHashMap<>();
    for (NamedTensor t : record.getTensors()) {
      int[] shape = t.getShape().stream().mapToInt(Integer::intValue).toArray();
      ByteBuffer data = t.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
      if (data.remaining() % Float.BYTES != 0) {
        throw new ExpertWeightsException(
            "tensor " + t.getName() + " holds " + data.remaining() + " bytes, not whole float32s");
      }
      float[] values = new float[data.remaining() / Float.BYTES];
      data.asFloatBuffer().get(values);
      try {
        out.put(t.getName(), new MoeHeadWeights.Tensor(values, shape));
      } catch (IllegalArgumentException e) {
        throw new ExpertWeightsException("tensor " + t.getName() + ": " + e.getMessage());
      }
    }
    return out;
  }

  static String sha256(List<NamedTensor> tensors) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    for (NamedTensor t : tensors) {
      sha.update(t.getName().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      ByteBuffer shape = ByteBuffer.allocate(Integer.BYTES * (1 + t.getShape().size()));
      shape.putInt(t.getShape().size());
      t.getShape().forEach(shape::putInt);
      sha.update(shape.array());
      sha.update(t.getData().duplicate());
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
