package io.expertflow.model.bundle;

import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.schemas.errors.ErrorText;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code head.weights} file: the raw parameters of an MoE head, which the updater reads to
 * fine-tune experts and writes back. All numbers are big-endian; strings are an int32 byte length
 * followed by UTF-8.
 *
 * <pre>
 * magic      4 bytes  "EFHW"
 * version    int32    1
 * hidden, experts, topK, expertHidden, domains   int32 each
 * labels     int32 count, then that many strings
 * tensors    int32 count, then per tensor:
 *              name string (as in MoeHeadWeights.tensors()), rank int32, dims int32 x rank,
 *              float32 x product(dims), row-major
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class HeadWeightsFormat {
  /** The first four bytes of the file. */
  public static final byte[] MAGIC = {'E', 'F', 'H', 'W'};

  /** The format version this class writes and reads. */
  public static final int VERSION = 1;

  private static final int MAX_STRING_BYTES = 1 << 16;

  private HeadWeightsFormat() {}

  /** Writes {@code weights} to {@code file}. */
  public static void write(MoeHeadWeights weights, Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      write(weights, out);
    }
  }

  /** Writes {@code weights} to a stream, leaving it open. */
  public static void write(MoeHeadWeights weights, OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(stream);
    MoeHeadConfig c = weights.config();
    out.write(MAGIC);
    out.writeInt(VERSION);
    for (int v : new int[] {c.hidden(), c.experts(), c.topK(), c.expertHidden(), c.domains()}) {
      out.writeInt(v);
    }
    out.writeInt(c.labelCount());
    for (String label : c.labels()) {
      writeString(out, label);
    }
    Map<String, MoeHeadWeights.Tensor> tensors = weights.tensors();
    out.writeInt(tensors.size());
    for (Map.Entry<String, MoeHeadWeights.Tensor> e : tensors.entrySet()) {
      writeString(out, e.getKey());
      int[] shape = e.getValue().shape();
      out.writeInt(shape.length);
      for (int d : shape) {
        out.writeInt(d);
      }
      for (float f : e.getValue().data()) {
        out.writeFloat(f);
      }
    }
    out.flush();
  }

  /** Reads weights from {@code file}; the message of a failure names the file and the problem. */
  public static MoeHeadWeights read(Path file) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return read(in);
    } catch (EOFException e) {
      throw new ModelBundleException(file + " ends early: the head weights are truncated", e);
    } catch (IOException e) {
      throw new ModelBundleException(
          "cannot read head weights " + file + ": " + ErrorText.of(e), e);
    } catch (IllegalArgumentException e) {
      throw new ModelBundleException("head weights " + file + " are invalid: " + e.getMessage(), e);
    }
  }

  /** Reads weights from a stream. */
  public static MoeHeadWeights read(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    byte[] magic = new byte[MAGIC.length];
    in.readFully(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IllegalArgumentException(
          "not a head weights file (magic " + Arrays.toString(magic) + ")");
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new IllegalArgumentException(
          "format version " + version + " is not supported; this build reads version " + VERSION);
    }
    int hidden = in.readInt();
    int experts = in.readInt();
    int topK = in.readInt();
    int expertHidden = in.readInt();
    int domains = in.readInt();
    int labelCount = checkCount(in.readInt(), "label");
    List<String> labels = new ArrayList<>(labelCount);
    for (int i = 0; i < labelCount; i++) {
      labels.add(readString(in));
    }
    MoeHeadWeights weights =
        new MoeHeadWeights(new MoeHeadConfig(hidden, experts, topK, expertHidden, domains, labels));
    Map<String, MoeHeadWeights.Tensor> expected = weights.tensors();
    int count = in.readInt();
    if (count != expected.size()) {
      throw new IllegalArgumentException(
          "holds " + count + " tensors, a head needs " + expected.size() + " " + expected.keySet());
    }
    for (int t = 0; t < count; t++) {
      String name = readString(in);
      MoeHeadWeights.Tensor target = expected.get(name);
      if (target == null) {
        throw new IllegalArgumentException(
            "unknown tensor '" + name + "'; expected " + expected.keySet());
      }
      int[] shape = new int[checkCount(in.readInt(), "dimension")];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = in.readInt();
      }
      if (!Arrays.equals(shape, target.shape())) {
        throw new IllegalArgumentException(
            "tensor "
                + name
                + " has shape "
                + Arrays.toString(shape)
                + ", the config needs "
                + Arrays.toString(target.shape()));
      }
      float[] data = target.data();
      for (int i = 0; i < data.length; i++) {
        data[i] = in.readFloat();
      }
    }
    return weights;
  }

  private static int checkCount(int n, String what) {
    if (n < 0 || n > MAX_STRING_BYTES) {
      throw new IllegalArgumentException("implausible " + what + " count " + n);
    }
    return n;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = checkCount(in.readInt(), "string byte");
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
