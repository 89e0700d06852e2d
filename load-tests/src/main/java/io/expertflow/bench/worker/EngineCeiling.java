package io.expertflow.bench.worker;

import io.expertflow.model.TokenizedText;
import io.expertflow.model.engine.DocumentEmbedding;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.HeadSession;
import java.util.ArrayList;
import java.util.List;

/**
 * The ceiling: the engine alone, in-process, on documents already tokenised. Chunks are embedded in
 * document order in batches of a fixed size, each batch padded to its longest chunk, then folded
 * into one embedding per document and routed by the MoE head in one call. Nothing else runs: no
 * tokenizer, no Kafka, no batcher.
 *
 * <p>Not thread-safe; one run at a time.
 */
final class EngineCeiling {
  private final List<TokenizedText> documents;
  private final EncoderSession encoder;
  private final HeadSession head;

  EngineCeiling(List<TokenizedText> documents, EncoderSession encoder, HeadSession head) {
    this.documents = documents;
    this.encoder = encoder;
    this.head = head;
  }

  /** One pass over every document in batches of {@code batch} chunks. */
  Result run(int batch) {
    long start = System.nanoTime();
    List<int[]> pending = new ArrayList<>();
    List<float[]> embeddings = new ArrayList<>();
    long tokens = 0;
    long padded = 0;
    for (TokenizedText d : documents) {
      pending.addAll(d.chunks());
      while (pending.size() >= batch) {
        List<int[]> next = new ArrayList<>(pending.subList(0, batch));
        pending.subList(0, batch).clear();
        embeddings.addAll(List.of(encoder.embed(next)));
        tokens += tokens(next);
        padded += padded(next);
      }
    }
    if (!pending.isEmpty()) {
      embeddings.addAll(List.of(encoder.embed(pending)));
      tokens += tokens(pending);
      padded += padded(pending);
    }
    int at = 0;
    float[][] folded = new float[documents.size()][];
    for (int i = 0; i < documents.size(); i++) {
      int n = documents.get(i).chunks().size();
      folded[i] =
          DocumentEmbedding.fold(embeddings.subList(at, at + n), documents.get(i).tokenCounts());
      at += n;
    }
    head.route(folded);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(batch, documents.size() / seconds, 1.0 - (double) tokens / padded);
  }

  private static long tokens(List<int[]> batch) {
    return batch.stream().mapToLong(c -> c.length).sum();
  }

  private static long padded(List<int[]> batch) {
    return (long) batch.size() * batch.stream().mapToInt(c -> c.length).max().orElse(0);
  }

  /**
   * @param batch chunks per encoder batch
   * @param documentsPerSecond documents embedded, folded and routed per second
   * @param paddingWaste share of the computed tokens that were padding
   */
  record Result(int batch, double documentsPerSecond, double paddingWaste) {}
}
