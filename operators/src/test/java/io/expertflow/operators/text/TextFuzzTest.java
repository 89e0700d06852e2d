package io.expertflow.operators.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.operators.fuzz.Fuzz;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of document text, which any client sends: random bytes through the strict and the
 * replacing decoder, and random strings (controls, lone surrogates, astral planes, combining marks,
 * CJK, odd spaces) through the tokenizer and the chunker. Each must end as chunks within the
 * configured bounds, with every id in the vocabulary, or as a {@link TextRejectedException} (a dead
 * letter with a reason); nothing else.
 */
class TextFuzzTest {
  private final WordPieceTokenizer tokenizer = MiniLmTokenizerJson.tokenizer();
  private final ChunkingConfig config = ChunkingConfig.defaults();
  private final DocumentChunker chunker = new DocumentChunker(tokenizer, config);

  @Test
  void shouldDecodeAnyBytesOrRejectThem() {
    Fuzz.run(
        1,
        random -> {
          byte[] bytes = new byte[random.nextInt(200)];
          random.nextBytes(bytes);
          DecodedText replaced = TextDecoder.replacing().decode(bytes);
          assertThat(replaced.text()).isNotNull();
          try {
            DecodedText strict = TextDecoder.strict().decode(bytes);
            assertThat(strict.text()).isEqualTo(replaced.text());
          } catch (InvalidUtf8Exception e) {
            assertThat(e.getMessage()).isNotBlank();
          }
        });
  }

  @Test
  void shouldChunkAnyTextWithinItsBoundsOrRejectIt() {
    Fuzz.run(
        2,
        random -> {
          String text = Fuzz.text(random, 600);
          ChunkedDocument document;
          try {
            document = chunker.chunk(text);
          } catch (TextRejectedException e) {
            assertThat(e).isInstanceOf(EmptyDocumentException.class);
            return;
          }
          assertThat(document.chunkCount()).isBetween(1, config.maxChunksPerDocument());
          for (Chunk chunk : document.chunks()) {
            assertThat(chunk.attentionLength()).isBetween(1, config.maxTokensPerChunk());
            for (int id : chunk.tokenIds()) {
              assertThat(id).isBetween(0, tokenizer.vocabularySize() - 1);
            }
          }
        });
  }
}
