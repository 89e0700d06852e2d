package io.expertflow.bench.worker;

import io.expertflow.model.Tokenization;
import io.expertflow.model.TokenizedText;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real text cut to an exact number of chunks: for each document wanted, consecutive corpus texts
 * are joined until they are long enough, then cut after the most words that still give the wanted
 * number of chunks under the worker's tokenization.
 */
final class LengthDocuments {
  /** The longest document the length sweep makes, in chunks (the worker's default cap). */
  static final int MAX_CHUNKS = 32;

  private static final Pattern WORD = Pattern.compile("\\S+\\s*");
  private final List<String> texts;
  private final Tokenization tokenization;

  LengthDocuments(List<String> texts, Tokenization tokenization) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("no texts to cut documents from");
    }
    this.texts = texts;
    this.tokenization = tokenization;
  }

  /** {@code count} documents of exactly {@code chunks} chunks each, from different texts. */
  List<String> ofChunks(int chunks, int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; out.size() < count; i++) {
      StringBuilder source = new StringBuilder();
      int next = i;
      while (!longerThan(source.toString(), chunks)) {
        if (next - i >= texts.size()) {
          throw new IllegalArgumentException(
              "the corpora are too short for documents of " + chunks + " chunks");
        }
        source.append(texts.get(next++ % texts.size())).append("\n\n");
      }
      out.add(cut(source.toString(), chunks));
    }
    return out;
  }

  /**
   * The longest prefix of whole words of {@code text} that has {@code chunks} chunks: its last
   * chunk is as full as the words allow, so a document of n chunks carries about n chunks' tokens.
   */
  private String cut(String text, int chunks) {
    List<Integer> ends = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      ends.add(m.end());
    }
    int lo = 1;
    int hi = ends.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (longerThan(text.substring(0, ends.get(mid - 1)), chunks)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    // lo: the fewest words that are too many
    String cut = text.substring(0, ends.get(lo - 2)).strip();
    if (chunksOf(cut) != chunks) {
      throw new IllegalStateException(
          "could not cut a document of exactly " + chunks + " chunks (got " + chunksOf(cut) + ")");
    }
    return cut;
  }

  /** Whether {@code text} has more than {@code chunks} chunks (or was cut to the cap). */
  private boolean longerThan(String text, int chunks) {
    if (text.isBlank()) {
      return false;
    }
    TokenizedText t = tokenization.tokenize(text);
    return t.chunks().size() > chunks || t.truncated();
  }

  private int chunksOf(String text) {
    return text.isBlank() ? 0 : tokenization.tokenize(text).chunks().size();
  }
}
