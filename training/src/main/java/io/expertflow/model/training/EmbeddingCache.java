package io.expertflow.model.training;

import io.expertflow.model.corpus.TrainingCorpora;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Chunk embeddings of documents, persisted in one append-only binary file per embedding key
 * (encoder checksum + chunking configuration), looked up by the SHA-256 of the document text. A
 * warm run finds every document here and embeds nothing. A record cut short by a crash, or one that
 * does not read back as embeddings, is dropped with everything after it when the file is opened.
 *
 * <p>Only an index stays in memory (the document hash and the record's file offset, about 100 bytes
 * a document); {@link #get} reads the vectors from the file. So a cache that grew over many runs
 * and corpora costs a run the memory of its index, not of every vector ever embedded. One owner at
 * a time: an open cache holds an exclusive lock on {@code <file>.lock}, and a second opener
 * (another training run on the same cache) is refused with a message rather than left to interleave
 * its records. Not thread-safe. The file layout: {@link EmbeddingCacheFormat}.
 */
public final class EmbeddingCache implements AutoCloseable {
  private final Path file;
  private final int dim;
  private final Map<DocumentKey, Long> offsets = new HashMap<>();
  private final DataOutputStream out;
  private final FileChannel reader;
  private final FileChannel lockChannel;

  /** The file's length once everything written is flushed. */
  private long end;

  /** The file's length as far as it is flushed: records before it can be read back. */
  private long flushedEnd;

  /** A document's SHA-256 as four longs: a compact map key. */
  private record DocumentKey(long a, long b, long c, long d) {
    static DocumentKey of(byte[] sha) {
      ByteBuffer buffer = ByteBuffer.wrap(sha);
      return new DocumentKey(
          buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }

    static DocumentKey ofHex(String sha) {
      byte[] bytes = HexFormat.of().parseHex(sha);
      if (bytes.length != 32) {
        throw new IllegalArgumentException("not a SHA-256 in hex: " + sha.length() + " characters");
      }
      return of(bytes);
    }
  }

  private EmbeddingCache(
      Path file, int dim, DataOutputStream out, FileChannel reader, FileChannel lockChannel) {
    this.file = file;
    this.dim = dim;
    this.out = out;
    this.reader = reader;
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
    Map<DocumentKey, Long> loaded = new HashMap<>();
    long validLength = 0;
    if (Files.exists(file)) {
      validLength =
          EmbeddingCacheFormat.scan(
              file, key, dim, (sha, offset) -> loaded.putIfAbsent(DocumentKey.of(sha), offset));
    }
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.truncate(validLength); // drops a torn last record or a stale file
    }
    OutputStream stream = Files.newOutputStream(file, StandardOpenOption.APPEND);
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16));
    FileChannel reader = null;
    try {
      if (validLength == 0) {
        EmbeddingCacheFormat.writeHeader(out, key, dim);
        out.flush();
        validLength = out.size();
      }
      reader = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
    EmbeddingCache cache = new EmbeddingCache(file, dim, out, reader, lockChannel);
    cache.offsets.putAll(loaded);
    cache.end = validLength;
    cache.flushedEnd = validLength;
    return cache;
  }

  /** The chunks of the document with this text SHA-256, read from the file, or null. */
  public EmbeddedChunks get(String documentSha) throws IOException {
    Long offset = offsets.get(DocumentKey.ofHex(documentSha));
    if (offset == null) {
      return null;
    }
    if (offset >= flushedEnd) {
      flush();
    }
    return EmbeddingCacheFormat.readRecord(reader, file, offset, dim);
  }

  /** Documents in the cache. */
  public int size() {
    return offsets.size();
  }

  public Path file() {
    return file;
  }

  /** Stores and appends the embeddings of one document; a document already here is kept as is. */
  public void put(String documentSha, EmbeddedChunks chunks) throws IOException {
    for (float[] e : chunks.embeddings()) {
      if (e.length != dim) {
        throw new IllegalArgumentException(
            "chunk embedding has " + e.length + " values, the cache holds " + dim);
      }
    }
    DocumentKey key = DocumentKey.ofHex(documentSha);
    if (offsets.containsKey(key)) {
      return;
    }
    offsets.put(key, end);
    end += EmbeddingCacheFormat.recordLength(chunks.size(), dim);
    EmbeddingCacheFormat.writeRecord(out, HexFormat.of().parseHex(documentSha), chunks);
  }

  /** Writes buffered records to the file. */
  public void flush() throws IOException {
    out.flush();
    flushedEnd = end;
  }

  @Override
  public void close() throws IOException {
    try (FileChannel lock = lockChannel; // released last
        FileChannel read = reader) {
      out.close();
    }
  }
}
