package io.expertflow.model.training;

import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.corpus.TrainingCorpora;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeds the chunks of many documents through an {@link EmbeddingCache}: documents already in the
 * cache cost nothing, the others are embedded and appended. Not thread-safe.
 */
final class CorpusEmbedder {
  private final ChunkEmbedder embedder;
  private final EmbeddingCache cache;
  private final int maxChunks;

  /** Counts of one embedding pass. */
  record Stats(
      int documents, int fromCache, int embedded, int skipped, long chunks, long embeddedChunks) {}

  /** Chunk embeddings by document id, and the counts of the pass. */
  record Embedded(Map<String, EmbeddedChunks> chunks, Stats stats) {}

  CorpusEmbedder(ChunkEmbedder embedder, EmbeddingCache cache, int maxChunks) {
    this.embedder = embedder;
    this.cache = cache;
    this.maxChunks = maxChunks;
  }

  Embedded embed(List<LabeledDocument> documents, ProgressListener listener) throws IOException {
    Map<String, EmbeddedChunks> result = new HashMap<>();
    int fromCache = 0;
    int embedded = 0;
    long chunks = 0;
    long embeddedChunks = 0;
    int done = 0;
    int skipped = 0;
    for (LabeledDocument d : documents) {
      String sha = TrainingCorpora.sha256(d.text());
      EmbeddedChunks vectors = cache.get(sha);
      if (vectors == null) {
        vectors = embedder.embed(d.text(), maxChunks);
        if (vectors == null) {
          skipped++;
          continue;
        }
        cache.put(sha, vectors);
        embedded++;
        embeddedChunks += vectors.size();
      } else {
        fromCache++;
      }
      chunks += vectors.size();
      result.put(d.id(), vectors);
      done++;
      if (done % 25 == 0 || done == documents.size()) {
        cache.flush();
        listener.progress("embedding", done, documents.size());
      }
    }
    cache.flush();
    return new Embedded(
        result, new Stats(documents.size(), fromCache, embedded, skipped, chunks, embeddedChunks));
  }
}
