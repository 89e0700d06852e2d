package io.expertflow.operators.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the parts of a Hugging Face {@code tokenizer.json} that a BERT WordPiece tokenizer uses and
 * rejects what it does not implement. Truncation and padding settings are ignored: windows and
 * padding are the caller's business.
 */
final class TokenizerJsonReader {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TokenizerJsonReader() {}

  static WordPieceTokenizer read(InputStream in, String source) {
    JsonNode root;
    try {
      root = MAPPER.readTree(in);
    } catch (IOException e) {
      throw new TokenizerConfigException(
          "Cannot parse " + source + " as JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new TokenizerConfigException(source + " is not a JSON object (tokenizer.json)");
    }
    return new TokenizerJsonReader.Parse(root, source).tokenizer();
  }

  private static final class Parse {
    private final JsonNode root;
    private final String source;

    Parse(JsonNode root, String source) {
      this.root = root;
      this.source = source;
    }

    WordPieceTokenizer tokenizer() {
      JsonNode model = required(root, "model");
      String modelType = model.path("type").asText("WordPiece");
      if (!"WordPiece".equals(modelType)) {
        throw unsupported("model.type", modelType, "WordPiece");
      }
      Map<String, Integer> vocab = vocabulary(required(model, "vocab"));
      String unkToken = required(model, "unk_token").asText();
      String prefix = model.path("continuing_subword_prefix").asText("##");
      int maxChars = model.path("max_input_chars_per_word").asInt(100);
      if (maxChars <= 0) {
        throw new TokenizerConfigException(
            source + ": model.max_input_chars_per_word must be positive, was " + maxChars);
      }
      String pre = root.path("pre_tokenizer").path("type").asText("null");
      if (!"BertPreTokenizer".equals(pre)) {
        throw unsupported("pre_tokenizer.type", pre, "BertPreTokenizer");
      }
      List<AddedToken> added = addedTokens();
      Map<String, Integer> known = new HashMap<>(vocab);
      added.forEach(t -> known.putIfAbsent(t.content(), t.id()));
      int unkId = idOf(known, unkToken, "model.unk_token");
      int[] clsSep = clsAndSep(known);
      int padId = root.path("padding").path("pad_id").asInt(-1);
      if (padId < 0) {
        padId = known.getOrDefault("[PAD]", 0);
      }
      return new WordPieceTokenizer(
          vocab,
          added,
          normalizer(),
          prefix,
          maxChars,
          new WordPieceTokenizer.SpecialIds(clsSep[0], clsSep[1], padId, unkId));
    }

    private BertNormalizer normalizer() {
      JsonNode n = root.path("normalizer");
      if (n.isMissingNode() || n.isNull()) {
        return BertNormalizer.identity();
      }
      String type = n.path("type").asText();
      if (!"BertNormalizer".equals(type)) {
        throw unsupported("normalizer.type", type, "BertNormalizer or null");
      }
      boolean lowercase = n.path("lowercase").asBoolean(true);
      JsonNode strip = n.path("strip_accents");
      boolean stripAccents = strip.isBoolean() ? strip.asBoolean() : lowercase;
      return new BertNormalizer(
          n.path("clean_text").asBoolean(true),
          n.path("handle_chinese_chars").asBoolean(true),
          stripAccents,
          lowercase);
    }

    private Map<String, Integer> vocabulary(JsonNode vocabNode) {
      if (!vocabNode.isObject() || vocabNode.isEmpty()) {
        throw new TokenizerConfigException(
            source + ": model.vocab must be a non-empty object of token -> id");
      }
      Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
      for (Map.Entry<String, JsonNode> e : vocabNode.properties()) {
        if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
          throw new TokenizerConfigException(
              source + ": model.vocab id of token #" + vocab.size() + " is not a non-negative int");
        }
        vocab.put(e.getKey(), e.getValue().asInt());
      }
      return vocab;
    }

    private List<AddedToken> addedTokens() {
      List<AddedToken> added = new ArrayList<>();
      for (JsonNode t : root.path("added_tokens")) {
        String content = t.path("content").asText();
        int id = t.path("id").asInt(-1);
        if (content.isEmpty() || id < 0) {
          throw new TokenizerConfigException(
              source + ": added_tokens entry #" + added.size() + " needs a content and an id");
        }
        for (String flag : List.of("normalized", "lstrip", "rstrip", "single_word")) {
          if (t.path(flag).asBoolean(false)) {
            throw unsupported("added_tokens[" + content + "]." + flag, "true", "false");
          }
        }
        added.add(new AddedToken(content, id));
      }
      return added;
    }

    private int[] clsAndSep(Map<String, Integer> known) {
      JsonNode post = root.path("post_processor");
      String type = post.path("type").asText("");
      if ("BertProcessing".equals(type)) {
        return new int[] {post.path("cls").path(1).asInt(), post.path("sep").path(1).asInt()};
      }
      if ("TemplateProcessing".equals(type)) {
        JsonNode single = post.path("single");
        if (single.size() != 3
            || !single.path(0).has("SpecialToken")
            || !single.path(1).has("Sequence")
            || !single.path(2).has("SpecialToken")) {
          throw unsupported(
              "post_processor.single",
              single.toString(),
              "[SpecialToken, Sequence A, SpecialToken]");
        }
        String cls = single.path(0).path("SpecialToken").path("id").asText();
        String sep = single.path(2).path("SpecialToken").path("id").asText();
        return new int[] {
          idOf(known, cls, "post_processor [CLS]"), idOf(known, sep, "post_processor [SEP]")
        };
      }
      return new int[] {idOf(known, "[CLS]", "[CLS]"), idOf(known, "[SEP]", "[SEP]")};
    }

    private int idOf(Map<String, Integer> known, String token, String what) {
      Integer id = known.get(token);
      if (id == null) {
        throw new TokenizerConfigException(
            source + ": " + what + " token '" + token + "' is neither in the vocabulary nor added");
      }
      return id;
    }

    private JsonNode required(JsonNode node, String field) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        throw new TokenizerConfigException(
            source + ": required field '" + field + "' is missing; is this a tokenizer.json?");
      }
      return value;
    }

    private TokenizerConfigException unsupported(String field, String found, String expected) {
      return new TokenizerConfigException(
          source
              + ": "
              + field
              + " is '"
              + found
              + "', but this tokenizer implements BERT WordPiece only ("
              + expected
              + "); use the tokenizer.json of a BERT-family model");
    }
  }

  /** A token matched verbatim in the raw text before normalization (such as [CLS]). */
  record AddedToken(String content, int id) {}
}
