package io.expertflow.bench.worker;

import io.expertflow.model.DocumentInference;
import io.expertflow.model.DocumentInference.ChunkOrder;
import io.expertflow.model.TokenizedText;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.HeadSession;
import java.util.List;

/**
 * The ceiling: the engine alone, in-process, on documents already tokenised, along the offline
 * {@link DocumentInference} path. Chunks are embedded in document order in batches of a fixed size,
 * each batch padded to its longest chunk, then folded into one embedding per document and routed by
 * the MoE head in one call. Nothing else runs: no tokenizer, no Kafka, no batcher.
 *
 * <p>Not thread-safe; one run at a time.
 */
final class EngineCeiling {
  private final List<TokenizedText> documents;
  private final DocumentInference inference;

  EngineCeiling(List<TokenizedText> documents, EncoderSession encoder, HeadSession head) {
    this.documents = documents;
    this.inference = new DocumentInference(encoder, head);
  }

  /** One pass over every document in batches of {@code batch} chunks. */
  Result run(int batch) {
    long start = System.nanoTime();
    long[] tokens = new long[1];
    long[] padded = new long[1];
    inference.infer(
        documents,
        batch,
        ChunkOrder.IN_ORDER,
        Integer.MAX_VALUE,
        chunks -> {
          tokens[0] += chunks.stream().mapToLong(c -> c.length).sum();
          padded[0] +=
              (long) chunks.size() * chunks.stream().mapToInt(c -> c.length).max().orElse(0);
        });
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(batch, documents.size() / seconds, 1.0 - (double) tokens[0] / padded[0]);
  }

  /**
   * @param batch chunks per encoder batch
   * @param documentsPerSecond documents embedded, folded and routed per second
   * @param paddingWaste share of the computed tokens that were padding
   */
  record Result(int batch, double documentsPerSecond, double paddingWaste) {}
}
