package io.expertflow.operators.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentChunkerTest {

  private static final int CLS = 101;
  private static final int SEP = 102;

  private final WordPieceTokenizer tokenizer = MiniLmTokenizerJson.tokenizer();

  /** Windows of 10 (8 document tokens), each starting 5 tokens after the previous one. */
  private final DocumentChunker small =
      new DocumentChunker(
          tokenizer,
          ChunkingConfig.builder()
              .maxTokensPerChunk(10)
              .overlapTokens(3)
              .maxChunksPerDocument(4)
              .build());

  @Test
  void shouldMakeExactlyOneWindowWhenTheDocumentFills126Tokens() {
    DocumentChunker chunker = new DocumentChunker(tokenizer, ChunkingConfig.defaults());
    Words words = Words.distinct(tokenizer, 126);

    ChunkedDocument doc = chunker.chunk(words.text());

    assertThat(doc.chunkCount()).isEqualTo(1);
    assertThat(doc.truncated()).isFalse();
    assertThat(doc.totalTokens()).isEqualTo(126);
    Chunk only = doc.chunks().get(0);
    assertThat(only.attentionLength()).isEqualTo(128);
    assertThat(only.tokenIds()).containsExactly(withSpecials(words.ids(0, 126)));
  }

  @Test
  void shouldStartASecondWindowOneStrideLaterForOneMoreToken() {
    DocumentChunker chunker = new DocumentChunker(tokenizer, ChunkingConfig.defaults());
    Words words = Words.distinct(tokenizer, 127);

    ChunkedDocument doc = chunker.chunk(words.text());

    assertThat(doc.chunkCount()).isEqualTo(2);
    Chunk second = doc.chunks().get(1);
    assertThat(second.index()).isEqualTo(1);
    assertThat(second.firstToken()).isEqualTo(110);
    assertThat(second.tokenIds()).containsExactly(withSpecials(words.ids(110, 127)));
    assertThat(doc.truncated()).isFalse();
  }

  @Test
  void shouldShareTheOverlapBetweenConsecutiveWindows() {
    Words words = Words.distinct(tokenizer, 20);

    ChunkedDocument doc = small.chunk(words.text());

    assertThat(doc.chunks())
        .extracting(Chunk::firstToken, Chunk::attentionLength)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 10),
            org.assertj.core.groups.Tuple.tuple(5, 10),
            org.assertj.core.groups.Tuple.tuple(10, 10),
            org.assertj.core.groups.Tuple.tuple(15, 7));
    for (Chunk chunk : doc.chunks()) {
      int from = chunk.firstToken();
      int to = Math.min(20, from + 8);
      assertThat(chunk.tokenIds()).containsExactly(withSpecials(words.ids(from, to)));
    }
    int[] first = doc.chunks().get(0).tokenIds();
    int[] second = doc.chunks().get(1).tokenIds();
    assertThat(Arrays.copyOfRange(first, 6, 9)).containsExactly(Arrays.copyOfRange(second, 1, 4));
    assertThat(doc.truncated()).isFalse();
    assertThat(doc.coveredTokens()).isEqualTo(20);
  }

  @Test
  void shouldCutDisjointWindowsWithoutOverlap() {
    DocumentChunker chunker =
        new DocumentChunker(
            tokenizer, ChunkingConfig.builder().maxTokensPerChunk(5).overlapTokens(0).build());
    Words words = Words.distinct(tokenizer, 7);

    ChunkedDocument doc = chunker.chunk(words.text());

    assertThat(doc.chunks()).extracting(Chunk::firstToken).containsExactly(0, 3, 6);
    assertThat(doc.chunks().get(2).tokenIds()).containsExactly(CLS, words.id(6), SEP);
  }

  @Test
  void shouldTruncateADocumentBeyondTheChunkCapAndSaySo() {
    Words words = Words.distinct(tokenizer, 40);

    ChunkedDocument doc = small.chunk(words.text());

    assertThat(doc.chunkCount()).isEqualTo(4);
    assertThat(doc.truncated()).isTrue();
    assertThat(doc.totalTokens()).isEqualTo(40);
    assertThat(doc.coveredTokens()).isEqualTo(23);
    assertThat(doc.chunks().get(3).tokenIds()).containsExactly(withSpecials(words.ids(15, 23)));
  }

  @Test
  void shouldNotTruncateADocumentThatExactlyFillsTheCap() {
    int capacity = (int) small.config().maxTokensPerDocument();
    Words words = Words.distinct(tokenizer, capacity);

    ChunkedDocument doc = small.chunk(words.text());

    assertThat(capacity).isEqualTo(23);
    assertThat(doc.chunkCount()).isEqualTo(4);
    assertThat(doc.truncated()).isFalse();
    assertThat(doc.coveredTokens()).isEqualTo(doc.totalTokens());
  }

  @Test
  void shouldKeepAVeryLongWordAsOneUnknownToken() {
    ChunkedDocument doc = small.chunk("x".repeat(5000));

    assertThat(doc.chunkCount()).isEqualTo(1);
    assertThat(doc.chunks().get(0).tokenIds()).containsExactly(CLS, 100, SEP);
    assertThat(doc.chunks().get(0).charEnd()).isEqualTo(5000);
  }

  @Test
  void shouldPointEachWindowAtItsTextInTheDocument() {
    Words words = Words.distinct(tokenizer, 20);
    String text = words.text();

    ChunkedDocument doc = small.chunk(text);

    Chunk second = doc.chunks().get(1);
    String windowText = text.substring(second.charStart(), second.charEnd());
    assertThat(windowText.split(" ")).containsExactly(words.words(5, 13));
  }

  @Test
  void shouldRejectEmptyAndInvisibleDocuments() {
    assertThatThrownBy(() -> small.chunk(""))
        .isInstanceOf(EmptyDocumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> small.chunk(" \n\t\u00A0\u200B\u0000 "))
        .isInstanceOfSatisfying(
            EmptyDocumentException.class, e -> assertThat(e.length()).isEqualTo(7))
        .hasMessageContaining("7 chars");
  }

  @Test
  void shouldPadARowOfAnInputTensor() {
    Chunk chunk = small.chunk("hello world").chunks().get(0);
    long[] tensor = new long[2 * 6];
    Arrays.fill(tensor, -1);

    chunk.copyInto(tensor, 6, 6, 0);

    assertThat(tensor).containsExactly(-1, -1, -1, -1, -1, -1, 101, 7592, 2088, 102, 0, 0);
    assertThatThrownBy(() -> chunk.copyInto(tensor, 0, 3, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rowLength 3");
  }

  private static int[] withSpecials(int[] ids) {
    int[] out = new int[ids.length + 2];
    out[0] = CLS;
    System.arraycopy(ids, 0, out, 1, ids.length);
    out[out.length - 1] = SEP;
    return out;
  }

  /** Distinct vocabulary words that are one token each, and the text they make. */
  private record Words(List<String> list, int[] idArray) {

    static Words distinct(WordPieceTokenizer tokenizer, int count) {
      List<String> words = new ArrayList<>();
      int[] ids = new int[count];
      for (int id = 2000; words.size() < count; id++) {
        String token = tokenizer.token(id);
        if (token.matches("[a-z]{3,}")) {
          ids[words.size()] = id;
          words.add(token);
        }
      }
      return new Words(words, ids);
    }

    String text() {
      return String.join(" ", list);
    }

    int id(int index) {
      return idArray[index];
    }

    int[] ids(int from, int to) {
      return Arrays.copyOfRange(idArray, from, to);
    }

    String[] words(int from, int to) {
      return list.subList(from, to).toArray(String[]::new);
    }
  }
}
