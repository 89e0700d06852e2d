package io.expertflow.model;

import io.expertflow.model.engine.DocumentEmbedding;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.operators.moe.MoeOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The one offline inference path: text to chunks ({@link Tokenization}), chunks to token batches,
 * batches through the encoder, chunk embeddings folded into a document embedding ({@link
 * DocumentEmbedding#fold}), document embeddings routed through the MoE head. {@link Analyzer}, the
 * benchmark's engine ceiling and training's chunk embedder run it whole or in part; a worker
 * batches chunks and documents itself (its dynamic batchers) and shares the steps around them:
 * {@link #tokenize}, {@link #fold} and {@link #route(HeadSession, List)}.
 *
 * <p>Thread-safe as far as its sessions are (the engine's sessions are); it borrows them and never
 * closes them.
 */
public final class DocumentInference {
  private final EncoderSession encoder;
  private final HeadSession head;

  /** How chunks are grouped into encoder batches. */
  public enum ChunkOrder {
    /** In the order given: documents stay together, as a stream of chunks arrives. */
    IN_ORDER,
    /** Shortest first, so that a batch pads its chunks to similar lengths and wastes little. */
    BY_LENGTH
  }

  /** Sees each encoder batch before it runs (e.g. to count its padding). */
  @FunctionalInterface
  public interface BatchObserver {
    BatchObserver NONE = batch -> {};

    void embedding(List<int[]> batch);
  }

  /**
   * @param encoder the chunk encoder
   * @param head the MoE head; null for a path that only embeds chunks ({@link #route} then fails)
   */
  public DocumentInference(EncoderSession encoder, HeadSession head) {
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.head = head;
  }

  /** Tokenises each text; each must yield at least one chunk. */
  public static List<TokenizedText> tokenize(Tokenization tokenization, List<String> texts) {
    List<TokenizedText> out = new ArrayList<>(texts.size());
    for (int t = 0; t < texts.size(); t++) {
      TokenizedText tt = tokenization.tokenize(texts.get(t));
      if (tt.chunks().isEmpty()) {
        throw new IllegalArgumentException("text " + t + " produced no chunks");
      }
      out.add(tt);
    }
    return out;
  }

  /** Embeds texts end to end and routes them: one output per text, in input order. */
  public List<MoeOutput> infer(
      List<TokenizedText> documents,
      int encoderBatch,
      ChunkOrder order,
      int headBatch,
      BatchObserver observer) {
    return route(embedDocuments(documents, encoderBatch, order, observer), headBatch);
  }

  /** One folded embedding per document, in input order. */
  public float[][] embedDocuments(
      List<TokenizedText> documents, int batchSize, ChunkOrder order, BatchObserver observer) {
    List<int[]> chunks = new ArrayList<>();
    documents.forEach(d -> chunks.addAll(d.chunks()));
    List<float[]> embedded = Arrays.asList(embedChunks(chunks, batchSize, order, observer));
    float[][] docs = new float[documents.size()][];
    int next = 0;
    for (int d = 0; d < docs.length; d++) {
      int n = documents.get(d).chunks().size();
      docs[d] = fold(documents.get(d), embedded.subList(next, next + n));
      next += n;
    }
    return docs;
  }

  /**
   * Embeds chunks in batches of at most {@code batchSize}, grouped as {@code order} says.
   *
   * @return one embedding per chunk, in input order
   */
  public float[][] embedChunks(
      List<int[]> chunks, int batchSize, ChunkOrder order, BatchObserver observer) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    Integer[] sequence = IntStream.range(0, chunks.size()).boxed().toArray(Integer[]::new);
    if (order == ChunkOrder.BY_LENGTH) {
      Arrays.sort(sequence, Comparator.comparingInt(i -> chunks.get(i).length));
    }
    float[][] out = new float[chunks.size()][];
    for (int from = 0; from < sequence.length; from += batchSize) {
      int to = Math.min(sequence.length, from + batchSize);
      List<int[]> batch = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        batch.add(chunks.get(sequence[i]));
      }
      observer.embedding(batch);
      float[][] embedded = encoder.embed(batch);
      for (int i = from; i < to; i++) {
        out[sequence[i]] = embedded[i - from];
      }
    }
    return out;
  }

  /** The document embedding of {@code text} from its chunks' embeddings, in chunk order. */
  public static float[] fold(TokenizedText text, List<float[]> chunkEmbeddings) {
    return DocumentEmbedding.fold(chunkEmbeddings, text.tokenCounts());
  }

  /** Routes document embeddings through the head in calls of at most {@code batchSize}. */
  public List<MoeOutput> route(float[][] documents, int batchSize) {
    if (head == null) {
      throw new IllegalStateException("this inference path has no head to route documents with");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    List<MoeOutput> out = new ArrayList<>(documents.length);
    for (int from = 0; from < documents.length; from += batchSize) {
      int to = (int) Math.min(documents.length, (long) from + batchSize);
      out.addAll(route(head, Arrays.asList(documents).subList(from, to)));
      if (to == documents.length) {
        break;
      }
    }
    return out;
  }

  /** Routes one batch of document embeddings through {@code head} in one call. */
  public static List<MoeOutput> route(HeadSession head, List<float[]> documents) {
    return head.route(documents.toArray(float[][]::new));
  }
}
