package io.expertflow.model.training;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ObjLongConsumer;

/**
 * The byte layout of an {@link EmbeddingCache} file: {@code int magic "EFEC"}, {@code int version
 * 1}, {@code UTF key}, {@code int dim}; then records of 32 bytes document SHA-256, {@code int
 * chunks}, and per chunk {@code int tokens} and {@code dim} floats, big-endian. Stateless.
 */
final class EmbeddingCacheFormat {
  private static final int MAGIC = 0x45464543;
  private static final int MAX_TOKENS_PER_CHUNK = 1 << 16;
  static final int SHA_BYTES = 32;

  private EmbeddingCacheFormat() {}

  static void writeHeader(DataOutputStream out, String key, int dim) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(1);
    out.writeUTF(key);
    out.writeInt(dim);
  }

  /** Bytes of a record of {@code chunks} chunks. */
  static long recordLength(int chunks, int dim) {
    return SHA_BYTES + Integer.BYTES + (long) chunks * (Integer.BYTES + dim * Float.BYTES);
  }

  static void writeRecord(DataOutputStream out, byte[] sha, EmbeddedChunks chunks)
      throws IOException {
    out.write(sha);
    out.writeInt(chunks.size());
    for (int c = 0; c < chunks.size(); c++) {
      out.writeInt(chunks.tokenCounts()[c]);
      for (float v : chunks.embeddings().get(c)) {
        out.writeFloat(v);
      }
    }
  }

  /** Reads the record that starts at {@code offset}, written and flushed before. */
  static EmbeddedChunks readRecord(FileChannel channel, Path file, long offset, int dim)
      throws IOException {
    ByteBuffer count = ByteBuffer.allocate(Integer.BYTES);
    readFully(channel, file, count, offset + SHA_BYTES);
    int chunks = count.getInt(0);
    ByteBuffer body = ByteBuffer.allocate(chunks * (Integer.BYTES + dim * Float.BYTES));
    readFully(channel, file, body, offset + SHA_BYTES + Integer.BYTES);
    body.flip();
    float[][] vectors = new float[chunks][dim];
    int[] tokens = new int[chunks];
    for (int c = 0; c < chunks; c++) {
      tokens[c] = body.getInt();
      body.asFloatBuffer().get(vectors[c]);
      body.position(body.position() + dim * Float.BYTES);
    }
    return new EmbeddedChunks(List.of(vectors), tokens);
  }

  private static void readFully(FileChannel channel, Path file, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new IOException("the embedding cache " + file + " ends inside a record at " + at);
      }
      at += n;
    }
  }

  /**
   * Reads every complete record of a file of {@code key} and {@code dim}, handing each record's
   * document SHA-256 and offset to {@code records}; returns the byte length of the valid prefix (0:
   * a file of another key or dimension, or no file content worth keeping: start anew).
   */
  static long scan(Path file, String key, int dim, ObjLongConsumer<byte[]> records)
      throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        CountingInput counting = new CountingInput(new BufferedInputStream(raw, 1 << 16));
        DataInputStream in = new DataInputStream(counting)) {
      try {
        if (in.readInt() != MAGIC
            || in.readInt() != 1
            || !in.readUTF().equals(key)
            || in.readInt() != dim) {
          return 0;
        }
      } catch (EOFException e) {
        return 0;
      }
      long valid = counting.count();
      byte[] sha = new byte[32];
      while (true) {
        try {
          in.readFully(sha);
          int chunks = in.readInt();
          if (chunks <= 0 || chunks > 1 << 20) {
            return valid;
          }
          for (int c = 0; c < chunks; c++) {
            int tokens = in.readInt();
            if (tokens <= 0 || tokens > MAX_TOKENS_PER_CHUNK) {
              return valid; // not a record this class wrote: drop it and the rest
            }
            for (int i = 0; i < dim; i++) {
              if (!Float.isFinite(in.readFloat())) {
                return valid;
              }
            }
          }
          records.accept(sha.clone(), valid);
          valid = counting.count();
        } catch (EOFException e) {
          return valid;
        }
      }
    }
  }

  /** Counts the bytes read through it, to find the end of the last complete record. */
  private static final class CountingInput extends java.io.FilterInputStream {
    private long count;

    CountingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    long count() {
      return count;
    }
  }
}
