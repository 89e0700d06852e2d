package io.expertflow.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.operators.text.TokenizerConfigException;
import io.expertflow.operators.text.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@link Tokenization} a {@code tokenizer.json} needs: the project's own WordPiece tokenizer
 * for WordPiece models (BERT, MiniLM, e5, bge), the Hugging Face tokenizers library for any other
 * model type (BPE, Unigram). Stateless.
 */
public final class Tokenizations {
  private Tokenizations() {}

  /** The tokenization a bundle's encoder expects: its tokenizer, chunked, with its input prefix. */
  public static Tokenization forBundle(ModelBundle bundle, ChunkingConfig chunking) {
    return of(bundle.tokenizerFile(), chunking, bundle.manifest().encoder().prefix());
  }

  /** The tokenization of {@code tokenizerJson}, chunked, with {@code prefix} in every chunk. */
  public static Tokenization of(Path tokenizerJson, ChunkingConfig chunking, String prefix) {
    if ("WordPiece".equals(modelType(tokenizerJson))) {
      return new WordPieceTokenization(
          WordPieceTokenizer.fromJson(tokenizerJson), chunking, prefix);
    }
    return new HuggingFaceTokenization(tokenizerJson, chunking, prefix);
  }

  /** {@code model.type} of a {@code tokenizer.json} ({@code WordPiece} when not given). */
  static String modelType(Path tokenizerJson) {
    try (JsonParser p = new JsonFactory().createParser(tokenizerJson.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new TokenizerConfigException(tokenizerJson + " does not hold a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (!"model".equals(field)) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          p.nextToken();
          if ("type".equals(key)) {
            return p.getValueAsString("WordPiece");
          }
          p.skipChildren();
        }
      }
      return "WordPiece";
    } catch (IOException e) {
      throw new TokenizerConfigException(tokenizerJson + " cannot be read: " + e.getMessage());
    }
  }
}
