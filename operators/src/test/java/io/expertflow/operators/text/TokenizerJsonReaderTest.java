package io.expertflow.operators.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerJsonReaderTest {

  /** A tiny BERT tokenizer.json; {@code %s} is the normalizer object. */
  private static final String TEMPLATE =
      """
      {
        "added_tokens": [
          {"id": 0, "content": "[PAD]", "normalized": false, "special": true},
          {"id": 1, "content": "[UNK]", "normalized": false, "special": true},
          {"id": 2, "content": "[CLS]", "normalized": false, "special": true},
          {"id": 3, "content": "[SEP]", "normalized": false, "special": true}
        ],
        "normalizer": %s,
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
        "model": {
          "type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
          "max_input_chars_per_word": 5,
          "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "cafe": 4, "caf": 5,
                    "##é": 6, "##e": 7, "Cafe": 8, "!": 9}
        }
      }
      """;

  @Test
  void shouldStripAccentsWhenLowercasingUnlessToldOtherwise() {
    WordPieceTokenizer followsLowercase =
        read(TEMPLATE.formatted("{\"type\": \"BertNormalizer\", \"strip_accents\": null}"));
    WordPieceTokenizer keepsAccents =
        read(
            TEMPLATE.formatted(
                "{\"type\": \"BertNormalizer\", \"strip_accents\": false, \"lowercase\": true}"));

    assertThat(followsLowercase.encode("CAFÉ!")).containsExactly(2, 4, 9, 3);
    assertThat(keepsAccents.encode("CAFÉ!")).containsExactly(2, 5, 6, 9, 3);
  }

  @Test
  void shouldLeaveTextAloneWithoutNormalizer() {
    WordPieceTokenizer cased = read(TEMPLATE.formatted("null"));

    assertThat(cased.encode("Cafe cafe CAFE")).containsExactly(2, 8, 4, 1, 3);
  }

  @Test
  void shouldReadTheWordLimitAndSpecialIds() {
    WordPieceTokenizer tokenizer = read(TEMPLATE.formatted("null"));

    assertThat(tokenizer.maxInputCharsPerWord()).isEqualTo(5);
    assertThat(tokenizer.encode("cafeee")).containsExactly(2, 1, 3);
    assertThat(tokenizer.encode("cafee")).containsExactly(2, 4, 7, 3);
    assertThat(tokenizer.clsId()).isEqualTo(2);
    assertThat(tokenizer.sepId()).isEqualTo(3);
    assertThat(tokenizer.unkId()).isEqualTo(1);
    assertThat(tokenizer.padId()).isZero();
  }

  @Test
  void shouldReadAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, TEMPLATE.formatted("null"));

    assertThat(WordPieceTokenizer.fromJson(file).encode("cafe")).containsExactly(2, 4, 3);
  }

  @Test
  void shouldRejectModelsOtherThanWordPiece() {
    String bpe = TEMPLATE.formatted("null").replace("\"type\": \"WordPiece\"", "\"type\": \"BPE\"");

    assertThatThrownBy(() -> read(bpe))
        .isInstanceOf(TokenizerConfigException.class)
        .hasMessageContaining("model.type is 'BPE'")
        .hasMessageContaining("test.json");
  }

  @Test
  void shouldRejectOtherNormalizersAndPreTokenizers() {
    assertThatThrownBy(() -> read(TEMPLATE.formatted("{\"type\": \"NFKC\"}")))
        .isInstanceOf(TokenizerConfigException.class)
        .hasMessageContaining("normalizer.type is 'NFKC'");
    String metaspace = TEMPLATE.formatted("null").replace("BertPreTokenizer", "Metaspace");
    assertThatThrownBy(() -> read(metaspace))
        .isInstanceOf(TokenizerConfigException.class)
        .hasMessageContaining("pre_tokenizer.type is 'Metaspace'");
  }

  @Test
  void shouldRejectAddedTokensThatNeedNormalizing() {
    String normalized =
        TEMPLATE
            .formatted("null")
            .replace(
                "\"content\": \"[SEP]\", \"normalized\": false",
                "\"content\": \"[SEP]\", \"normalized\": true");

    assertThatThrownBy(() -> read(normalized))
        .isInstanceOf(TokenizerConfigException.class)
        .hasMessageContaining("added_tokens[[SEP]].normalized");
  }

  @Test
  void shouldRejectMissingVocabularyAndMalformedJson() {
    assertThatThrownBy(() -> read("{\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"x\"}}"))
        .isInstanceOf(TokenizerConfigException.class)
        .hasMessageContaining("'vocab' is missing");
    assertThatThrownBy(() -> read("{\"model\": "))
        .isInstanceOf(TokenizerConfigException.class)
        .hasMessageContaining("Cannot parse test.json");
    String unknownUnk =
        TEMPLATE.formatted("null").replace("\"unk_token\": \"[UNK]\"", "\"unk_token\": \"<unk>\"");
    assertThatThrownBy(() -> read(unknownUnk))
        .isInstanceOf(TokenizerConfigException.class)
        .hasMessageContaining("'<unk>'");
  }

  private static WordPieceTokenizer read(String json) {
    return WordPieceTokenizer.fromJson(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
  }
}
