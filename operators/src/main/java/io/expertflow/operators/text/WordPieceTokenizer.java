package io.expertflow.operators.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A pure-Java BERT WordPiece tokenizer that reads a Hugging Face {@code tokenizer.json} and
 * produces the same ids as the Hugging Face implementation: added tokens such as {@code [SEP]}
 * matched verbatim in the raw text, then BertNormalizer (clean text, spaces around CJK ideographs,
 * accents stripped by NFD, lowercase), BertPreTokenizer (split on whitespace, each punctuation char
 * its own word) and WordPiece (greedy longest match, {@code ##} continuations, a word longer than
 * {@code max_input_chars_per_word} code points or with an unmatchable rest becomes one {@code
 * [UNK]}).
 *
 * <p>Truncation and padding settings in the file are ignored; see {@link DocumentChunker}.
 * Character classes come from the JDK's Unicode tables, pinned to the reference implementation's
 * (Unicode 8.0) where they differ, up to the Unicode 16.0 of Java 25. Ids equal the reference's for
 * every code point; offsets may differ only where combining marks are typed out of canonical order
 * (NFD reorders them, and the reference attributes the moved marks differently).
 *
 * <p>Immutable and thread-safe after construction: one instance serves all threads. Building one
 * takes a fraction of a second (it parses the vocabulary and tabulates the normalizer for the Basic
 * Multilingual Plane): build it once and share it.
 */
public final class WordPieceTokenizer {

  private final Map<String, Integer> vocabulary;
  private final String[] tokensById;
  private final CharRangeTable wordStartPieces;
  private final CharRangeTable continuationPieces;
  private final AddedTokenMatcher addedTokens;
  private final BertNormalizer normalizer;
  private final int maxInputCharsPerWord;
  private final SpecialIds special;

  WordPieceTokenizer(
      Map<String, Integer> vocab,
      List<TokenizerJsonReader.AddedToken> added,
      BertNormalizer normalizer,
      String continuationPrefix,
      int maxInputCharsPerWord,
      SpecialIds special) {
    Map<String, Integer> all = new HashMap<>(vocab);
    added.forEach(t -> all.putIfAbsent(t.content(), t.id()));
    int maxId = all.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
    this.tokensById = new String[maxId + 1];
    all.forEach((token, id) -> tokensById[id] = token);
    this.vocabulary = Map.copyOf(all);
    Map<String, Integer> continuations = new HashMap<>();
    vocab.forEach(
        (token, id) -> {
          if (token.startsWith(continuationPrefix)) {
            continuations.put(token.substring(continuationPrefix.length()), id);
          }
        });
    this.wordStartPieces = new CharRangeTable(vocab);
    this.continuationPieces = new CharRangeTable(continuations);
    this.addedTokens = new AddedTokenMatcher(added);
    this.normalizer = normalizer;
    this.maxInputCharsPerWord = maxInputCharsPerWord;
    this.special = special;
  }

  /** Reads a {@code tokenizer.json} file. */
  public static WordPieceTokenizer fromJson(Path tokenizerJson) {
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    try (InputStream in = Files.newInputStream(tokenizerJson)) {
      return TokenizerJsonReader.read(in, tokenizerJson.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read tokenizer file " + tokenizerJson, e);
    }
  }

  /**
   * Reads a {@code tokenizer.json} from a stream, which the caller closes; {@code source} names it
   * in error messages.
   */
  public static WordPieceTokenizer fromJson(InputStream tokenizerJson, String source) {
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    return TokenizerJsonReader.read(tokenizerJson, Objects.requireNonNull(source, "source"));
  }

  /** All pieces of {@code text}, without {@code [CLS]} and {@code [SEP]}. */
  public TokenizedText tokenize(String text) {
    return tokenize(text, Integer.MAX_VALUE);
  }

  /**
   * The first {@code maxTokens} pieces of {@code text}, without {@code [CLS]} and {@code [SEP]};
   * stops early on long texts, and {@link TokenizedText#truncated()} says whether more followed.
   */
  public TokenizedText tokenize(String text, int maxTokens) {
    Objects.requireNonNull(text, "text");
    if (maxTokens < 0) {
      throw new IllegalArgumentException("maxTokens must be >= 0, was " + maxTokens);
    }
    return new WordPieceEncoder(this, text.length(), maxTokens).encode(text);
  }

  /**
   * The ids the model sees for a single sequence: {@code [CLS]}, the pieces, {@code [SEP]}; not
   * truncated, not padded.
   */
  public int[] encode(String text) {
    TokenizedText pieces = tokenize(text);
    int[] out = new int[pieces.size() + 2];
    out[0] = special.cls();
    pieces.copyIds(0, pieces.size(), out, 1);
    out[out.length - 1] = special.sep();
    return out;
  }

  /** The id of {@code token} (vocabulary or added token), if it has one. */
  public OptionalInt id(String token) {
    Integer id = vocabulary.get(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** The token string of {@code id}, such as {@code "##ing"}. */
  public String token(int id) {
    if (id < 0 || id >= tokensById.length || tokensById[id] == null) {
      throw new IllegalArgumentException(
          "No token has id " + id + "; ids run from 0 to " + (tokensById.length - 1));
    }
    return tokensById[id];
  }

  /** One more than the largest id; every id this tokenizer returns is below it. */
  public int vocabularySize() {
    return tokensById.length;
  }

  public int clsId() {
    return special.cls();
  }

  public int sepId() {
    return special.sep();
  }

  public int padId() {
    return special.pad();
  }

  public int unkId() {
    return special.unk();
  }

  public int maxInputCharsPerWord() {
    return maxInputCharsPerWord;
  }

  BertNormalizer normalizer() {
    return normalizer;
  }

  AddedTokenMatcher addedTokens() {
    return addedTokens;
  }

  CharRangeTable wordStartPieces() {
    return wordStartPieces;
  }

  CharRangeTable continuationPieces() {
    return continuationPieces;
  }

  /** Ids of the special tokens. */
  record SpecialIds(int cls, int sep, int pad, int unk) {}
}
