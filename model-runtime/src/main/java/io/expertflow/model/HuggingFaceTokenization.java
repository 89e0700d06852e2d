package io.expertflow.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.operators.text.TokenizerConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A {@link Tokenization} for any Hugging Face {@code tokenizer.json} (BPE, Unigram / SentencePiece,
 * WordPiece) through the Rust tokenizers library ({@code ai.djl.huggingface:tokenizers}, natives in
 * the jar, nothing downloaded). The text's tokens are cut into windows as the chunking says ({@code
 * maxTokensPerChunk} including the special tokens, {@code overlapTokens}, {@code
 * maxChunksPerDocument}); each window gets the tokenizer's own special tokens around it (those its
 * post-processor puts around a single sequence, e.g. {@code <s>} and {@code </s>}) and the
 * encoder's input prefix after the leading ones.
 *
 * <p>Thread-safe: calls into the native tokenizer are serialised. Closing frees the native
 * tokenizer.
 */
public final class HuggingFaceTokenization implements Tokenization, AutoCloseable {
  static {
    // the natives ship in the jar: never let the library try to download anything
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  private final HuggingFaceTokenizer tokenizer;
  private final ChunkingConfig chunking;
  private final int[] leading;
  private final int[] trailing;
  private final int window;
  private final int stride;

  /**
   * @throws TokenizerConfigException when the library cannot read {@code tokenizerJson}, or the
   *     chunk size leaves no room for text next to the special tokens and the prefix
   */
  public HuggingFaceTokenization(Path tokenizerJson, ChunkingConfig chunking, String prefix) {
    try {
      this.tokenizer =
          HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("addSpecialTokens", "false"));
    } catch (IOException | RuntimeException e) {
      throw new TokenizerConfigException(
          tokenizerJson
              + " cannot be read by the Hugging Face tokenizers library: "
              + e.getMessage());
    }
    this.chunking = chunking;
    int[] specials = ints(tokenizer.encode("", true, false).getIds());
    int[] prefixIds = prefix.isEmpty() ? new int[0] : ints(tokenizer.encode(prefix).getIds());
    int lead = specials.length >= 2 ? 1 : 0;
    this.leading = concat(Arrays.copyOfRange(specials, 0, lead), prefixIds);
    this.trailing = Arrays.copyOfRange(specials, lead, specials.length);
    this.window = chunking.maxTokensPerChunk() - leading.length - trailing.length;
    if (window < 1) {
      throw new TokenizerConfigException(
          "chunks of "
              + chunking.maxTokensPerChunk()
              + " tokens leave no room for text beside "
              + (leading.length + trailing.length)
              + " special and prefix tokens");
    }
    this.stride = Math.max(1, window - Math.min(chunking.overlapTokens(), window - 1));
  }

  @Override
  public TokenizedText tokenize(String text) {
    int[] ids;
    synchronized (this) {
      ids = ints(tokenizer.encode(text).getIds());
    }
    if (ids.length == 0) {
      throw new RejectedInputException(
          DeadLetterReason.EMPTY_TEXT, "the text has no token the tokenizer knows");
    }
    List<int[]> chunks = new ArrayList<>();
    int start = 0;
    while (chunks.size() < chunking.maxChunksPerDocument()) {
      int end = Math.min(ids.length, start + window);
      chunks.add(concat(concat(leading, Arrays.copyOfRange(ids, start, end)), trailing));
      if (end == ids.length) {
        return new TokenizedText(chunks, false);
      }
      start += stride;
    }
    return new TokenizedText(chunks, true);
  }

  @Override
  public synchronized void close() {
    tokenizer.close();
  }

  private static int[] ints(long[] ids) {
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
