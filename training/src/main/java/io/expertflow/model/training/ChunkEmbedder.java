package io.expertflow.model.training;

/**
 * Turns a document's text into one embedding per chunk (token window). Implementations own the
 * tokenizer, the chunking and the encoder. Not required to be thread-safe: the pipeline calls it
 * from one thread.
 */
public interface ChunkEmbedder {

  /**
   * A stable key of everything that determines the embeddings: the encoder's checksum and the
   * chunking configuration. Cached embeddings are reused only under an equal key.
   */
  String cacheKey();

  /** Size of each embedding. */
  int dimension();

  /**
   * Embeddings and token counts of the first {@code maxChunks} chunks of {@code text}, in document
   * order; null when the text holds no token at all (such a document is left out).
   */
  EmbeddedChunks embed(String text, int maxChunks);

  /**
   * The most chunks {@link #embed} returns per document when asked for {@code maxChunks}: its own
   * chunking may cap them further.
   */
  default int chunkCap(int maxChunks) {
    return maxChunks;
  }
}
