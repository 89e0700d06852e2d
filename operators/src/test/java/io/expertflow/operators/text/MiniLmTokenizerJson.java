package io.expertflow.operators.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The {@code tokenizer.json} of all-MiniLM-L6-v2 (BERT uncased vocabulary, 30,522 tokens) from the
 * model artifact on the test classpath, and one tokenizer read from it for all tests.
 */
final class MiniLmTokenizerJson {

  static final String RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

  private static final WordPieceTokenizer SHARED = read();

  private MiniLmTokenizerJson() {}

  static WordPieceTokenizer tokenizer() {
    return SHARED;
  }

  static InputStream open() {
    InputStream in = MiniLmTokenizerJson.class.getClassLoader().getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IllegalStateException(
          RESOURCE + " is not on the test classpath; the MiniLM model artifact provides it");
    }
    return in;
  }

  private static WordPieceTokenizer read() {
    try (InputStream in = open()) {
      return WordPieceTokenizer.fromJson(in, RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
