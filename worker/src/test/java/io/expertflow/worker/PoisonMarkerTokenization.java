package io.expertflow.worker;

import io.expertflow.model.Tokenization;
import io.expertflow.model.TokenizedText;
import io.expertflow.model.onnx.TinyEncoderBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * TEST DOUBLE: tokenises as its delegate, except that a document holding the word {@link #MARKER}
 * gets a token id beyond the encoder's vocabulary in its first chunk. The real ONNX session then
 * fails on every batch that holds that chunk, which is how a poison document behaves: only the
 * batcher's bisection can isolate it. Thread-safe when the delegate is.
 */
final class PoisonMarkerTokenization implements Tokenization {
  /** The word that poisons a document. */
  static final String MARKER = "xpoisonx";

  /** An id the encoder's embedding table has no row for. */
  static final int OUT_OF_VOCABULARY_ID = TinyEncoderBuilder.VOCAB_SIZE + 1_000;

  private static final Pattern WORDS = Pattern.compile("\\s+");

  private final Tokenization delegate;

  PoisonMarkerTokenization(Tokenization delegate) {
    this.delegate = delegate;
  }

  @Override
  public TokenizedText tokenize(String text) {
    TokenizedText tokens = delegate.tokenize(text);
    if (!List.of(WORDS.split(text)).contains(MARKER)) {
      return tokens;
    }
    List<int[]> chunks = new ArrayList<>(tokens.chunks());
    int[] first = chunks.get(0).clone();
    first[first.length / 2] = OUT_OF_VOCABULARY_ID;
    chunks.set(0, first);
    return new TokenizedText(chunks, tokens.truncated());
  }
}
