package io.expertflow.operators.moe;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact binary form of labelled embeddings, shared by the guard set and the replay reservoir:
 * {@code int count}, then per sample {@code int label} and {@code dim} big-endian floats. The
 * dimension and the label names travel in the enclosing file's header. Stateless.
 */
public final class LabeledEmbeddingCodec {
  private LabeledEmbeddingCodec() {}

  public static void write(DataOutputStream out, List<LabeledEmbedding> samples, int dim)
      throws IOException {
    out.writeInt(samples.size());
    for (LabeledEmbedding s : samples) {
      if (s.embedding().length != dim) {
        throw new IllegalArgumentException(
            "every embedding must have " + dim + " values, got " + s.embedding().length);
      }
      out.writeInt(s.label());
      for (float v : s.embedding()) {
        out.writeFloat(v);
      }
    }
  }

  public static List<LabeledEmbedding> read(DataInputStream in, int dim, int labelCount)
      throws IOException {
    int count = in.readInt();
    if (count < 0) {
      throw new IOException("corrupt labelled embeddings: negative count " + count);
    }
    List<LabeledEmbedding> samples = new ArrayList<>(Math.min(count, 1 << 16));
    for (int i = 0; i < count; i++) {
      int label = in.readInt();
      if (label < 0 || label >= labelCount) {
        throw new IOException(
            "corrupt labelled embeddings: label index "
                + label
                + " outside [0, "
                + labelCount
                + ")");
      }
      float[] x = new float[dim];
      for (int j = 0; j < dim; j++) {
        x[j] = in.readFloat();
      }
      samples.add(new LabeledEmbedding(x, label));
    }
    return samples;
  }

  /** Writes the file header: magic, format version 1, dimension and label names. */
  static void writeHeader(DataOutputStream out, int magic, int dim, List<String> labels)
      throws IOException {
    out.writeInt(magic);
    out.writeInt(1);
    out.writeInt(dim);
    out.writeInt(labels.size());
    for (String label : labels) {
      out.writeUTF(label);
    }
  }

  /** Reads and checks a header written by {@link #writeHeader}. */
  static Header readHeader(DataInputStream in, int magic, String what) throws IOException {
    int found = in.readInt();
    if (found != magic) {
      throw new IOException(
          "not a " + what + " file: magic 0x" + Integer.toHexString(found) + " is unknown");
    }
    int version = in.readInt();
    if (version != 1) {
      throw new IOException(what + " file version " + version + " is not supported (expected 1)");
    }
    int dim = in.readInt();
    int labelCount = in.readInt();
    if (dim <= 0 || labelCount <= 0) {
      throw new IOException(
          "corrupt " + what + " file: dimension " + dim + ", label count " + labelCount);
    }
    List<String> labels = new ArrayList<>(labelCount);
    for (int i = 0; i < labelCount; i++) {
      labels.add(in.readUTF());
    }
    return new Header(dim, List.copyOf(labels));
  }

  record Header(int dim, List<String> labels) {}
}
