package io.expertflow.model;

/**
 * Turns a text into encoder-ready chunks of token ids. The analyzer depends on this small contract
 * rather than on a tokenizer class, so any WordPiece tokenizer and chunker can be plugged in.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Tokenization {
  /**
   * Tokenizes and chunks one text. Each chunk is a complete encoder input (special tokens included)
   * no longer than the encoder's maximum sequence length.
   */
  TokenizedText tokenize(String text);
}
