package io.expertflow.memory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * A memory of answered documents: an on-disk Lucene index (one folder) of {@link MemoryEntry}s with
 * an HNSW graph over their embeddings, searched per tenant.
 *
 * <p><b>Visibility.</b> Writes ({@link #upsert}, {@link #correct}, {@link #delete}, {@link
 * #deleteOlderThan}) are buffered by the index writer and become visible to {@link #nearest} after
 * the next {@link #refresh()} (a near-real-time reader reopened through Lucene's {@code
 * SearcherManager}; it does not need a commit). They are durable on disk after {@link #commit()} or
 * {@link #close()}; a crash loses what was written since the last commit, which the memory's
 * feeding topic replays.
 *
 * <p><b>Tenants.</b> Every query is filtered on its tenant inside the graph search, so a tenant
 * never sees another tenant's documents, even closer ones; an unknown tenant gets an empty list.
 *
 * <p><b>Threads.</b> One writer thread calls the write methods, {@link #refresh()} and {@link
 * #commit()}; any number of threads call {@link #nearest} and {@link #size()} at the same time.
 * {@link #close()} is called once, after the others have returned.
 */
public final class DocumentMemory implements AutoCloseable {
  /**
   * Tolerance on an embedding's L2 norm: the dot product is cosine similarity only for unit norm.
   */
  static final double NORM_TOLERANCE = 1e-3;

  private final Path folder;
  private final MemoryConfig config;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private volatile boolean closed;

  private DocumentMemory(
      Path folder,
      MemoryConfig config,
      Directory directory,
      IndexWriter writer,
      SearcherManager searchers) {
    this.folder = folder;
    this.config = config;
    this.directory = directory;
    this.writer = writer;
    this.searchers = searchers;
  }

  /**
   * Opens the memory in {@code folder}, creating it when empty.
   *
   * @throws IllegalArgumentException when the folder holds a memory of another dimension
   * @throws IOException when the folder cannot be read or written, or is locked by another writer
   */
  public static DocumentMemory open(Path folder, MemoryConfig config) throws IOException {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(config, "config");
    Directory directory = FSDirectory.open(folder);
    IndexWriter writer = null;
    try {
      IndexWriterConfig iwc =
          new IndexWriterConfig()
              .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
              .setRAMBufferSizeMB(config.ramBufferMb())
              .setCodec(codec(config));
      writer = new IndexWriter(directory, iwc);
      SearcherManager searchers = new SearcherManager(writer, null);
      checkDimension(folder, searchers, config.dimension());
      return new DocumentMemory(folder, config, directory, writer, searchers);
    } catch (IOException | RuntimeException e) {
      if (writer != null) {
        writer.rollback();
      }
      directory.close();
      throw e;
    }
  }

  private static Lucene912Codec codec(MemoryConfig config) {
    KnnVectorsFormat format = new Lucene99HnswVectorsFormat(config.maxConn(), config.beamWidth());
    return new Lucene912Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }

  private static void checkDimension(Path folder, SearcherManager searchers, int dimension)
      throws IOException {
    IndexSearcher s = searchers.acquire();
    try {
      FieldInfo info =
          FieldInfos.getMergedFieldInfos(s.getIndexReader()).fieldInfo(MemoryFields.EMBEDDING);
      if (info != null && info.getVectorDimension() != dimension) {
        throw new IllegalArgumentException(
            "the memory at "
                + folder
                + " holds "
                + info.getVectorDimension()
                + "-dimensional embeddings but was opened for "
                + dimension
                + "; open it with its dimension or use a new folder for the new encoder");
      }
    } finally {
      searchers.release(s);
    }
  }

  public MemoryConfig config() {
    return config;
  }

  /** Adds {@code entry}, replacing any entry of the same request id. */
  public void upsert(MemoryEntry entry) throws IOException {
    checkOpen();
    checkVector(entry.embeddingView(), "entry " + entry.requestId());
    writer.updateDocument(MemoryFields.key(entry.requestId()), MemoryFields.document(entry));
  }

  /**
   * Sets the corrected label of the entry of {@code requestId} in place (its vector is not
   * rewritten). Nothing happens when no such entry exists.
   */
  public void correct(String requestId, String correctedLabel) throws IOException {
    checkOpen();
    MemoryEntry.requireText(requestId, "requestId");
    MemoryEntry.requireText(correctedLabel, "correctedLabel");
    writer.updateDocValues(MemoryFields.key(requestId), MemoryFields.corrected(correctedLabel));
  }

  /**
   * Deletes the entry of {@code requestId} (a request to be forgotten). After the next refresh no
   * query returns it; its bytes leave the disk when the segment holding it is merged away, which
   * {@link #expungeDeleted()} forces.
   */
  public void delete(String requestId) throws IOException {
    checkOpen();
    MemoryEntry.requireText(requestId, "requestId");
    writer.deleteDocuments(MemoryFields.key(requestId));
  }

  /**
   * Deletes every entry and the user data of the last commit, durably: the memory is as a new one.
   * A feed calls it when the index was built from another topic than the one it now follows.
   */
  public void clear() throws IOException {
    checkOpen();
    writer.deleteAll();
    writer.setLiveCommitData(Map.<String, String>of().entrySet());
    writer.commit();
    searchers.maybeRefreshBlocking();
  }

  /** Deletes every entry answered before {@code cutoff} (retention). */
  public void deleteOlderThan(Instant cutoff) throws IOException {
    checkOpen();
    long millis = cutoff.toEpochMilli();
    if (millis == Long.MIN_VALUE) {
      return;
    }
    writer.deleteDocuments(
        LongPoint.newRangeQuery(MemoryFields.TIMESTAMP, Long.MIN_VALUE, millis - 1));
  }

  /** Rewrites the segments that hold deleted entries so that their bytes leave the disk; slow. */
  public void expungeDeleted() throws IOException {
    checkOpen();
    writer.forceMergeDeletes(true);
    writer.commit();
  }

  /** Makes every write so far visible to {@link #nearest}; blocks until the new reader is open. */
  public void refresh() throws IOException {
    checkOpen();
    searchers.maybeRefreshBlocking();
  }

  /** Makes every write so far durable on disk (and visible, as {@link #refresh()} does). */
  public void commit() throws IOException {
    checkOpen();
    writer.commit();
    searchers.maybeRefreshBlocking();
  }

  /**
   * Commits as {@link #commit()} does and records {@code userData} with the commit, atomically: a
   * feed keeps the topic offsets it has applied there, so that after a restart it resumes from
   * exactly the state on disk.
   */
  public void commit(Map<String, String> userData) throws IOException {
    checkOpen();
    writer.setLiveCommitData(Map.copyOf(userData).entrySet());
    writer.commit();
    searchers.maybeRefreshBlocking();
  }

  /** The user data of the last commit ({@link #commit(Map)}); empty for a new memory. */
  public Map<String, String> committedUserData() throws IOException {
    checkOpen();
    Map<String, String> data = new HashMap<>();
    Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
    if (live != null) {
      for (Map.Entry<String, String> e : live) {
        data.put(e.getKey(), e.getValue());
      }
    }
    return data;
  }

  /**
   * The entry of {@code requestId} as of the last refresh, with its embedding; empty when the
   * memory does not hold it (never answered, forgotten or past retention).
   */
  public Optional<MemoryEntry> get(String requestId) throws IOException {
    checkOpen();
    MemoryEntry.requireText(requestId, "requestId");
    IndexSearcher s = searchers.acquire();
    try {
      TopDocs top = s.search(new TermQuery(MemoryFields.key(requestId)), 1);
      if (top.scoreDocs.length == 0) {
        return Optional.empty();
      }
      int doc = top.scoreDocs[0].doc;
      List<LeafReaderContext> leaves = s.getIndexReader().leaves();
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
      return Optional.of(MemoryFields.entry(leaf.reader(), doc - leaf.docBase));
    } finally {
      searchers.release(s);
    }
  }

  /** Entries visible to queries now (as of the last refresh). */
  public int size() throws IOException {
    checkOpen();
    IndexSearcher s = searchers.acquire();
    try {
      return s.getIndexReader().numDocs();
    } finally {
      searchers.release(s);
    }
  }

  /**
   * The {@code k} entries of {@code tenant} nearest to {@code embedding}, most similar first. The
   * graph search keeps {@code max(k, numCandidates)} candidates per segment. An unknown tenant gets
   * an empty list.
   *
   * @param encoder the encoder that made {@code embedding} ({@link MemoryEntry#encoder()}): only
   *     entries of that encoder, and those that name none, are compared with it, since embeddings
   *     of two encoders of one width are not comparable; {@code null} compares with every entry
   * @throws IllegalArgumentException when the embedding has the wrong dimension or is not
   *     L2-normalised, or {@code k < 1}
   */
  public List<Neighbour> nearest(String tenant, String encoder, float[] embedding, int k)
      throws IOException {
    checkOpen();
    MemoryEntry.requireText(tenant, "tenant");
    if (encoder != null) {
      MemoryEntry.requireText(encoder, "encoder");
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    checkVector(embedding, "the query");
    int candidates = Math.max(k, config.numCandidates());
    KnnFloatVectorQuery query =
        new KnnFloatVectorQuery(
            MemoryFields.EMBEDDING, embedding, candidates, MemoryFields.visibleTo(tenant, encoder));
    IndexSearcher s = searchers.acquire();
    try {
      TopDocs top = s.search(query, k);
      List<LeafReaderContext> leaves = s.getIndexReader().leaves();
      List<Neighbour> result = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc hit : top.scoreDocs) {
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(hit.doc, leaves));
        result.add(MemoryFields.neighbour(leaf.reader(), hit.doc - leaf.docBase, hit.score));
      }
      return result;
    } finally {
      searchers.release(s);
    }
  }

  private void checkVector(float[] v, String what) {
    Objects.requireNonNull(v, "embedding");
    if (v.length != config.dimension()) {
      throw new IllegalArgumentException(
          what
              + " has an embedding of "
              + v.length
              + " values but this memory holds "
              + config.dimension()
              + "-dimensional embeddings; use the encoder the memory was built with");
    }
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    if (!(Math.abs(norm - 1) <= NORM_TOLERANCE)) {
      throw new IllegalArgumentException(
          what
              + " has an embedding of L2 norm "
              + norm
              + "; the memory compares by dot product and needs L2-normalised embeddings");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the document memory at " + folder + " is closed");
    }
  }

  /** Commits what was written and releases the folder. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (directory;
        writer;
        searchers) {
      writer.commit();
    }
  }
}
