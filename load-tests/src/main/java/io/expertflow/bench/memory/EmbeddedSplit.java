package io.expertflow.bench.memory;

import io.expertflow.model.corpus.CorpusSet;
import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.corpus.TrainingCorpora;
import io.expertflow.model.training.DocumentSplit;
import io.expertflow.model.training.EmbeddedChunks;
import io.expertflow.model.training.EmbeddingCache;
import io.expertflow.model.training.Split;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The split that training made of the corpora (the same {@link DocumentSplit} call with the same
 * seed), each document with its document embedding read from the embedding cache that training
 * filled: what the head was trained and judged on, as the serving worker would embed it. Documents
 * the cache lacks (no token at all) are left out, as training leaves them out. Immutable.
 */
record EmbeddedSplit(List<String> labels, Map<Split, List<EmbeddedSplit.Doc>> parts) {

  /**
   * One document: its id, the index of its true label, its L2-normalised embedding and its text
   * (what a TF-IDF model served beside the head reads).
   */
  record Doc(String id, int label, float[] embedding, String text) {}

  static EmbeddedSplit load(
      CorpusSet set,
      long seed,
      int docsPerLabel,
      Set<String> heldOut,
      double trafficShare,
      Path embeddingsDir,
      String cacheKey,
      int dim)
      throws IOException {
    Map<Split, List<LabeledDocument>> split =
        DocumentSplit.split(set.documents(), seed, docsPerLabel, heldOut, trafficShare);
    if (!set.fixedTest().isEmpty()) {
      split = DocumentSplit.withFixedTest(split, set.fixedTest(), heldOut);
    }
    List<String> labels = set.labels();
    Map<Split, List<Doc>> parts = new EnumMap<>(Split.class);
    try (EmbeddingCache cache = EmbeddingCache.open(embeddingsDir, cacheKey, dim)) {
      for (Map.Entry<Split, List<LabeledDocument>> e : split.entrySet()) {
        List<Doc> docs = new ArrayList<>();
        for (LabeledDocument d : e.getValue()) {
          EmbeddedChunks chunks = cache.get(TrainingCorpora.sha256(d.text()));
          if (chunks != null) {
            docs.add(
                new Doc(d.id(), labels.indexOf(d.label()), chunks.documentEmbedding(), d.text()));
          }
        }
        parts.put(e.getKey(), List.copyOf(docs));
      }
    }
    return new EmbeddedSplit(labels, parts);
  }

  List<Doc> part(Split s) {
    return parts.getOrDefault(s, List.of());
  }
}
