package io.expertflow.model;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.operators.text.ChunkedDocument;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.operators.text.DocumentChunker;
import io.expertflow.operators.text.EmptyDocumentException;
import io.expertflow.operators.text.WordPieceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The production {@link Tokenization}: the bundle's {@code tokenizer.json} read by the pure-Java
 * WordPiece tokenizer, and the document chunker. Thread-safe.
 */
public final class WordPieceTokenization implements Tokenization {
  private final DocumentChunker chunker;

  public WordPieceTokenization(WordPieceTokenizer tokenizer, ChunkingConfig chunking) {
    this.chunker = new DocumentChunker(tokenizer, chunking);
  }

  /** Reads {@code tokenizer.json} and chunks with {@code chunking}. */
  public static WordPieceTokenization fromFile(Path tokenizerJson, ChunkingConfig chunking) {
    return new WordPieceTokenization(WordPieceTokenizer.fromJson(tokenizerJson), chunking);
  }

  @Override
  public TokenizedText tokenize(String text) {
    ChunkedDocument doc;
    try {
      doc = chunker.chunk(text);
    } catch (EmptyDocumentException e) {
      throw new RejectedInputException(DeadLetterReason.EMPTY_TEXT, e.getMessage());
    }
    List<int[]> chunks = new ArrayList<>(doc.chunkCount());
    doc.chunks().forEach(c -> chunks.add(c.tokenIds()));
    return new TokenizedText(chunks, doc.truncated());
  }
}
