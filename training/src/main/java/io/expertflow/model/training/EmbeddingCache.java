package io.expertflow.model.training;

import io.expertflow.model.corpus.TrainingCorpora;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Chunk embeddings of documents, persisted in one append-only binary file per embedding key
 * (encoder checksum + chunking configuration), looked up by the SHA-256 of the document text. A
 * warm run finds every document here and embeds nothing. A record cut short by a crash, or one that
 * does not read back as embeddings, is dropped with everything after it when the file is opened.
 * One owner at a time: an open cache holds an exclusive lock on {@code <file>.lock}, and a second
 * opener (another training run on the same cache) is refused with a message rather than left to
 * interleave its records. Not thread-safe.
 *
 * <p>File layout: {@code int magic "EFEC"}, {@code int version 1}, {@code UTF key}, {@code int
 * dim}; then records of 32 bytes document SHA-256, {@code int chunks}, and per chunk {@code int
 * tokens} and {@code dim} floats.
 */
public final class EmbeddingCache implements AutoCloseable {
  private static final int MAGIC = 0x45464543;
  private static final int MAX_TOKENS_PER_CHUNK = 1 << 16;

  private final Path file;
  private final int dim;
  private final Map<String, EmbeddedChunks> entries = new HashMap<>();
  private final DataOutputStream out;
  private final FileChannel lockChannel;

  private EmbeddingCache(Path file, int dim, DataOutputStream out, FileChannel lockChannel) {
    this.file = file;
    this.dim = dim;
    this.out = out;
    this.lockChannel = lockChannel;
  }

  /** Opens (or creates) the cache file for {@code key} under {@code dir}. */
  public static EmbeddingCache open(Path dir, String key, int dim) throws IOException {
    Files.createDirectories(dir);
    String name = "embeddings-" + TrainingCorpora.sha256(key).substring(0, 16) + ".bin";
    Path file = dir.resolve(name);
    FileChannel lockChannel = lock(dir.resolve(name + ".lock"), file);
    try {
      return open(file, key, dim, lockChannel);
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
  }

  private static FileChannel lock(Path lockFile, Path file) throws IOException {
    FileChannel channel =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    boolean locked = false;
    try {
      locked = channel.tryLock() != null;
    } catch (OverlappingFileLockException e) {
      locked = false; // this JVM holds it already
    } finally {
      if (!locked) {
        channel.close();
      }
    }
    if (!locked) {
      throw new IllegalStateException(
          "the embedding cache "
              + file
              + " is in use by another training run; one run at a time per cache: wait for it to"
              + " finish or give this one another --cache");
    }
    return channel;
  }

  private static EmbeddingCache open(Path file, String key, int dim, FileChannel lockChannel)
      throws IOException {
    Map<String, EmbeddedChunks> loaded = new HashMap<>();
    long validLength = 0;
    if (Files.exists(file)) {
      validLength = load(file, key, dim, loaded);
    }
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.truncate(validLength); // drops a torn last record or a stale file
    }
    OutputStream stream = Files.newOutputStream(file, StandardOpenOption.APPEND);
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16));
    if (validLength == 0) {
      out.writeInt(MAGIC);
      out.writeInt(1);
      out.writeUTF(key);
      out.writeInt(dim);
    }
    EmbeddingCache cache = new EmbeddingCache(file, dim, out, lockChannel);
    cache.entries.putAll(loaded);
    return cache;
  }

  /** The chunks of the document with this text SHA-256, or null. */
  public EmbeddedChunks get(String documentSha) {
    return entries.get(documentSha);
  }

  public int size() {
    return entries.size();
  }

  public Path file() {
    return file;
  }

  /** Stores and appends the embeddings of one document. */
  public void put(String documentSha, EmbeddedChunks chunks) throws IOException {
    for (float[] e : chunks.embeddings()) {
      if (e.length != dim) {
        throw new IllegalArgumentException(
            "chunk embedding has " + e.length + " values, the cache holds " + dim);
      }
    }
    out.write(HexFormat.of().parseHex(documentSha));
    out.writeInt(chunks.size());
    for (int c = 0; c < chunks.size(); c++) {
      out.writeInt(chunks.tokenCounts()[c]);
      for (float v : chunks.embeddings().get(c)) {
        out.writeFloat(v);
      }
    }
    entries.put(documentSha, chunks);
  }

  /** Writes buffered records to the file. */
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    try {
      out.close();
    } finally {
      lockChannel.close(); // releases the lock
    }
  }

  /** Reads every complete record; returns the byte length of the valid prefix (0: start anew). */
  private static long load(Path file, String key, int dim, Map<String, EmbeddedChunks> into)
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
          if (chunks < 0 || chunks > 1 << 20) {
            return valid;
          }
          float[][] vectors = new float[chunks][dim];
          int[] tokens = new int[chunks];
          for (int c = 0; c < chunks; c++) {
            tokens[c] = in.readInt();
            if (tokens[c] <= 0 || tokens[c] > MAX_TOKENS_PER_CHUNK) {
              return valid; // not a record this class wrote: drop it and the rest
            }
            for (int i = 0; i < dim; i++) {
              vectors[c][i] = in.readFloat();
              if (!Float.isFinite(vectors[c][i])) {
                return valid;
              }
            }
          }
          into.put(HexFormat.of().formatHex(sha), new EmbeddedChunks(List.of(vectors), tokens));
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
