package io.expertflow.operators.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts a document into windows of at most {@link ChunkingConfig#maxTokensPerChunk()} tokens, {@code
 * [CLS]} and {@code [SEP]} included, each starting {@link ChunkingConfig#strideTokens()} document
 * tokens after the previous one, so consecutive windows share {@link
 * ChunkingConfig#overlapTokens()} tokens. The last window may be shorter. A document needing more
 * than {@link ChunkingConfig#maxChunksPerDocument()} windows keeps only the first ones and is
 * marked truncated; its {@code totalTokens} is still exact.
 *
 * <p>Immutable and thread-safe: one instance serves all threads.
 */
public final class DocumentChunker {

  private final WordPieceTokenizer tokenizer;
  private final ChunkingConfig config;

  public DocumentChunker(WordPieceTokenizer tokenizer, ChunkingConfig config) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.config = Objects.requireNonNull(config, "config");
  }

  public ChunkingConfig config() {
    return config;
  }

  /**
   * Tokenises and cuts {@code text}.
   *
   * @throws EmptyDocumentException when the text yields no token (empty, only whitespace, only
   *     control or format characters)
   */
  public ChunkedDocument chunk(String text) {
    Objects.requireNonNull(text, "text");
    TokenizedText tokens = tokenizer.tokenize(text);
    if (tokens.isEmpty()) {
      throw new EmptyDocumentException(text.length());
    }
    int total = tokens.size();
    int content = config.contentTokensPerChunk();
    int stride = config.strideTokens();
    List<Chunk> chunks = new ArrayList<>();
    int start = 0;
    int covered = 0;
    while (chunks.size() < config.maxChunksPerDocument()) {
      int end = Math.min(total, start + content);
      chunks.add(window(tokens, chunks.size(), start, end));
      covered = end;
      if (end == total) {
        break;
      }
      start += stride;
    }
    return new ChunkedDocument(chunks, total, covered, covered < total);
  }

  private Chunk window(TokenizedText tokens, int index, int start, int end) {
    int[] ids = new int[end - start + 2];
    ids[0] = tokenizer.clsId();
    tokens.copyIds(start, end, ids, 1);
    ids[ids.length - 1] = tokenizer.sepId();
    return new Chunk(index, ids, start, tokens.startOffset(start), tokens.endOffset(end - 1));
  }
}
