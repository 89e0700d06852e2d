package io.expertflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.model.bundle.EncoderResources;
import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.operators.text.TokenizerConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A BPE {@code tokenizer.json} (a small one written for this test: lower-casing, whitespace
 * pre-tokenizer, {@code <s> A </s>} template) through the Hugging Face tokenizers library.
 */
class HuggingFaceTokenizationTest {
  @TempDir Path dir;

  private Path bpe() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    try (InputStream in = getClass().getResourceAsStream("/bpe-tokenizer.json")) {
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  private static ChunkingConfig chunks(int tokens, int overlap, int max) {
    return ChunkingConfig.builder()
        .maxTokensPerChunk(tokens)
        .overlapTokens(overlap)
        .maxChunksPerDocument(max)
        .build();
  }

  @Test
  void shouldWrapEveryWindowInTheTokenizersOwnSpecialTokens() throws IOException {
    try (HuggingFaceTokenization t = new HuggingFaceTokenization(bpe(), chunks(5, 1, 8), "")) {
      TokenizedText text = t.tokenize("The cat sat on the mat");

      // the(7) cat(11) s(12) a(9) t(3) on(18) the(7) mat(21); windows of 3, stride 2
      assertThat(text.chunks())
          .containsExactly(
              new int[] {0, 7, 11, 12, 1},
              new int[] {0, 12, 9, 3, 1},
              new int[] {0, 3, 18, 7, 1},
              new int[] {0, 7, 21, 1});
      assertThat(text.truncated()).isFalse();
    }
  }

  @Test
  void shouldPutThePrefixAfterTheLeadingTokenAndCutAtTheChunkLimit() throws IOException {
    try (HuggingFaceTokenization t = new HuggingFaceTokenization(bpe(), chunks(6, 0, 1), "the")) {
      TokenizedText text = t.tokenize("cat sat on the mat");

      assertThat(text.chunks()).containsExactly(new int[] {0, 7, 11, 12, 9, 1});
      assertThat(text.truncated()).isTrue();
    }
  }

  @Test
  void shouldRejectTextWithoutAnyToken() throws IOException {
    try (HuggingFaceTokenization t = new HuggingFaceTokenization(bpe(), chunks(8, 0, 4), "")) {
      assertThatThrownBy(() -> t.tokenize("   "))
          .isInstanceOf(RejectedInputException.class)
          .hasMessageContaining("no token");
    }
  }

  @Test
  void shouldChooseTheLibraryForBpeAndTheOwnTokenizerForWordPiece() throws IOException {
    EncoderResources.extractTokenizer(EncoderVariant.MINILM_L6_V2_INT8, dir.resolve("wp"));
    Path wordPiece = dir.resolve("wp").resolve(EncoderResources.TOKENIZER_FILE);

    assertThat(Tokenizations.modelType(bpe())).isEqualTo("BPE");
    assertThat(Tokenizations.modelType(wordPiece)).isEqualTo("WordPiece");
    assertThat(Tokenizations.of(wordPiece, ChunkingConfig.defaults(), ""))
        .isInstanceOf(WordPieceTokenization.class);
    Tokenization viaLibrary = Tokenizations.of(bpe(), ChunkingConfig.defaults(), "");
    assertThat(viaLibrary).isInstanceOf(HuggingFaceTokenization.class);
    ((HuggingFaceTokenization) viaLibrary).close();
  }

  @Test
  void shouldNameATokenizerFileTheLibraryCannotRead() throws IOException {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"model\": {\"type\": \"BPE\"}}");

    assertThatThrownBy(() -> new HuggingFaceTokenization(broken, ChunkingConfig.defaults(), ""))
        .isInstanceOf(TokenizerConfigException.class)
        .hasMessageContaining("broken.json");
  }
}
