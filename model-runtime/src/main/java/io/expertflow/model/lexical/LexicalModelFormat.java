package io.expertflow.model.lexical;

import io.expertflow.schemas.errors.ErrorText;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file of a {@link LexicalModel} ({@value LexicalModel#FILE} in a bundle), big-endian: magic
 * {@code EFLX}, format version 1, hash bits, weight (double), label count and each label (modified
 * UTF-8), bucket count {@code n}, the {@code n} buckets ascending, their inverse document
 * frequencies, then per label {@code n} weights and the bias (floats). Stateless.
 */
final class LexicalModelFormat {
  private static final int MAGIC = 0x45464C58; // "EFLX"
  private static final int FORMAT = 1;
  private static final int MAX_LABELS = 100_000;

  private LexicalModelFormat() {}

  static void write(LexicalModel model, Path file) {
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT);
      out.writeInt(LexicalFeatures.HASH_BITS);
      out.writeDouble(model.weight());
      out.writeInt(model.labels().size());
      for (String label : model.labels()) {
        out.writeUTF(label);
      }
      out.writeInt(model.buckets().length);
      for (int b : model.buckets()) {
        out.writeInt(b);
      }
      for (float v : model.idf()) {
        out.writeFloat(v);
      }
      for (float[] row : model.weights()) {
        for (float v : row) {
          out.writeFloat(v);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the TF-IDF model " + file + ": " + ErrorText.of(e), e);
    }
  }

  static LexicalModel read(Path file) {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw bad(file, "it is not a TF-IDF model (no EFLX header)");
      }
      int format = in.readInt();
      if (format != FORMAT) {
        throw bad(file, "format " + format + ", this build reads " + FORMAT);
      }
      int bits = in.readInt();
      if (bits != LexicalFeatures.HASH_BITS) {
        throw bad(file, bits + " hash bits, this build hashes into " + LexicalFeatures.HASH_BITS);
      }
      double weight = in.readDouble();
      int labelCount = in.readInt();
      if (labelCount < 1 || labelCount > MAX_LABELS) {
        throw bad(file, labelCount + " labels");
      }
      List<String> labels = new ArrayList<>(labelCount);
      for (int i = 0; i < labelCount; i++) {
        labels.add(in.readUTF());
      }
      int n = in.readInt();
      if (n < 0 || n > LexicalFeatures.BUCKETS) {
        throw bad(file, n + " buckets");
      }
      int[] buckets = new int[n];
      for (int i = 0; i < n; i++) {
        buckets[i] = in.readInt();
        if (buckets[i] < 0
            || buckets[i] >= LexicalFeatures.BUCKETS
            || (i > 0 && buckets[i] <= buckets[i - 1])) {
          throw bad(file, "bucket " + i + " is out of range or order");
        }
      }
      float[] idf = new float[n];
      for (int i = 0; i < n; i++) {
        idf[i] = in.readFloat();
      }
      float[][] w = new float[labelCount][n + 1];
      for (float[] row : w) {
        for (int i = 0; i <= n; i++) {
          row[i] = in.readFloat();
        }
      }
      if (in.read() != -1) {
        throw bad(file, "bytes after the last weight");
      }
      try {
        return LexicalModel.of(labels, weight, buckets, idf, w);
      } catch (IllegalArgumentException e) {
        throw bad(file, e.getMessage());
      }
    } catch (EOFException e) {
      throw bad(file, "the file ends early");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the TF-IDF model " + file + ": " + ErrorText.of(e), e);
    }
  }

  private static IllegalArgumentException bad(Path file, String why) {
    return new IllegalArgumentException("TF-IDF model " + file + ": " + why);
  }
}
