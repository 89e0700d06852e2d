package io.expertflow.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TEST DOUBLE of a WordPiece tokenizer: looks whole lower-cased words and punctuation up in a
 * tokenizer.json vocabulary ([UNK] otherwise) and cuts them into [CLS] ... [SEP] chunks. For simple
 * English sentences of common words this gives the ids WordPiece gives; it does not split sub-words
 * and is never used outside tests.
 */
public final class WholeWordTestTokenization implements Tokenization {
  private static final Pattern PIECES = Pattern.compile("\\p{L}+|\\p{N}+|[^\\s\\p{L}\\p{N}]");

  private final Map<String, Integer> vocab;
  private final int chunkTokens;
  private final int maxChunks;

  public WholeWordTestTokenization(Path tokenizerJson, int chunkTokens, int maxChunks) {
    this.vocab = readVocab(tokenizerJson);
    this.chunkTokens = chunkTokens;
    this.maxChunks = maxChunks;
  }

  @Override
  public TokenizedText tokenize(String text) {
    List<Integer> ids = new ArrayList<>();
    Matcher m = PIECES.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      ids.add(vocab.getOrDefault(m.group(), vocab.get("[UNK]")));
    }
    int body = chunkTokens - 2;
    List<int[]> chunks = new ArrayList<>();
    boolean truncated = false;
    for (int from = 0; from < Math.max(ids.size(), 1); from += body) {
      if (chunks.size() == maxChunks) {
        truncated = true;
        break;
      }
      List<Integer> part =
          ids.subList(Math.min(from, ids.size()), Math.min(ids.size(), from + body));
      int[] chunk = new int[part.size() + 2];
      chunk[0] = vocab.get("[CLS]");
      for (int i = 0; i < part.size(); i++) {
        chunk[i + 1] = part.get(i);
      }
      chunk[chunk.length - 1] = vocab.get("[SEP]");
      chunks.add(chunk);
    }
    return new TokenizedText(chunks, truncated);
  }

  /** The ids of a text as one chunk, for encoder tests. */
  public int[] ids(String text) {
    List<int[]> chunks = tokenize(text).chunks();
    return chunks.size() == 1
        ? chunks.get(0)
        : chunks.stream().flatMapToInt(Arrays::stream).toArray();
  }

  private static Map<String, Integer> readVocab(Path tokenizerJson) {
    try {
      JsonNode vocab =
          new ObjectMapper().readTree(tokenizerJson.toFile()).path("model").path("vocab");
      Map<String, Integer> out = new HashMap<>();
      vocab.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
