package io.expertflow.model;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.operators.text.ChunkedDocument;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.operators.text.DocumentChunker;
import io.expertflow.operators.text.EmptyDocumentException;
import io.expertflow.operators.text.WordPieceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The production {@link Tokenization}: the bundle's {@code tokenizer.json} read by the pure-Java
 * WordPiece tokenizer, and the document chunker. Thread-safe.
 */
public final class WordPieceTokenization implements Tokenization {
  private final DocumentChunker chunker;
  private final int[] prefixIds;

  public WordPieceTokenization(WordPieceTokenizer tokenizer, ChunkingConfig chunking) {
    this(tokenizer, chunking, "");
  }

  /**
   * @param prefix text the encoder expects before every input (e5: {@code "query: "}); its tokens
   *     go right after {@code [CLS]} in every chunk, so a chunk is longer than the chunking's
   *     window by their number
   */
  public WordPieceTokenization(
      WordPieceTokenizer tokenizer, ChunkingConfig chunking, String prefix) {
    this.chunker = new DocumentChunker(tokenizer, chunking);
    int[] encoded = tokenizer.encode(prefix); // [CLS] pieces [SEP]
    this.prefixIds = Arrays.copyOfRange(encoded, 1, encoded.length - 1);
  }

  /** Reads {@code tokenizer.json} and chunks with {@code chunking}. */
  public static WordPieceTokenization fromFile(Path tokenizerJson, ChunkingConfig chunking) {
    return new WordPieceTokenization(WordPieceTokenizer.fromJson(tokenizerJson), chunking);
  }

  /** The tokenization a bundle's encoder expects: its tokenizer and its input prefix. */
  public static WordPieceTokenization forBundle(ModelBundle bundle, ChunkingConfig chunking) {
    return new WordPieceTokenization(
        WordPieceTokenizer.fromJson(bundle.tokenizerFile()),
        chunking,
        bundle.manifest().encoder().prefix());
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
    doc.chunks().forEach(c -> chunks.add(withPrefix(c.tokenIds())));
    return new TokenizedText(chunks, doc.truncated());
  }

  private int[] withPrefix(int[] ids) {
    if (prefixIds.length == 0) {
      return ids;
    }
    int[] out = new int[ids.length + prefixIds.length];
    out[0] = ids[0]; // [CLS]
    System.arraycopy(prefixIds, 0, out, 1, prefixIds.length);
    System.arraycopy(ids, 1, out, 1 + prefixIds.length, ids.length - 1);
    return out;
  }
}
