package io.expertflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
  private static final String SHA_A = "a".repeat(64);
  private static final String SHA_B = "b".repeat(64);

  @TempDir Path dir;

  @Test
  void shouldFindStoredEmbeddingsAfterReopening() throws IOException {
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "enc-1|128", 3)) {
      cache.put(SHA_A, chunks(new float[] {1, 2, 3}, new float[] {4, 5, 6}));
    }

    try (EmbeddingCache cache = EmbeddingCache.open(dir, "enc-1|128", 3)) {
      assertThat(cache.size()).isEqualTo(1);
      assertThat(cache.get(SHA_A).embeddings().get(1)).containsExactly(4, 5, 6);
      assertThat(cache.get(SHA_A).tokenCounts()).containsExactly(10, 11);
      assertThat(cache.get(SHA_B)).isNull();
    }
  }

  @Test
  void shouldReadBackARecordOfThisRunBeforeItIsFlushedAndKeepTheFirstOfTwoPuts()
      throws IOException {
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "k", 2)) {
      cache.put(SHA_A, chunks(new float[] {1, 2}, new float[] {3, 4}));
      cache.put(SHA_B, chunks(new float[] {5, 6}));
      cache.put(SHA_A, chunks(new float[] {7, 8}));

      assertThat(cache.get(SHA_A).embeddings().get(1)).containsExactly(3, 4);
      assertThat(cache.get(SHA_B).embeddings().get(0)).containsExactly(5, 6);
      assertThat(cache.size()).isEqualTo(2);
      cache.put("c".repeat(64), chunks(new float[] {9, 10}));
      assertThat(cache.get("c".repeat(64)).embeddings().get(0)).containsExactly(9, 10);
    }
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "k", 2)) {
      assertThat(cache.size()).isEqualTo(3);
      assertThat(cache.get(SHA_A).tokenCounts()).containsExactly(10, 11);
    }
  }

  @Test
  void shouldKeepEmbeddingsOfADifferentKeyApart() throws IOException {
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "enc-1|128", 3)) {
      cache.put(SHA_A, chunks(new float[] {1, 2, 3}));
    }

    try (EmbeddingCache other = EmbeddingCache.open(dir, "enc-2|128", 3)) {
      assertThat(other.get(SHA_A)).isNull();
    }
  }

  @Test
  void shouldDropARecordCutShortAndKeepAppending() throws IOException {
    Path file = cacheOfTwoRecords();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 3); // a crash in the middle of the last record
    }

    assertOnlyTheFirstRecordIsKeptAndAppendingGoesOn();
  }

  @Test
  void shouldDropARecordThatDoesNotReadBackAndEverythingAfterIt() throws IOException {
    Path file = cacheOfTwoRecords();
    // header: magic, version, key "k" as modified UTF-8, dim = 15 bytes; record A = 48 bytes;
    // B's first token count follows its 32-byte SHA and its chunk count
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {-1, -1, -1, -1}), 15 + 48 + 32 + 4);
    }

    assertOnlyTheFirstRecordIsKeptAndAppendingGoesOn();
  }

  @Test
  void shouldRefuseASecondOwnerUntilTheFirstCloses() throws IOException {
    try (EmbeddingCache first = EmbeddingCache.open(dir, "k", 2)) {
      first.put(SHA_A, chunks(new float[] {1, 2}));

      assertThatThrownBy(() -> EmbeddingCache.open(dir, "k", 2))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is in use by another training run");
    }

    try (EmbeddingCache again = EmbeddingCache.open(dir, "k", 2)) {
      assertThat(again.get(SHA_A).embeddings().get(0)).containsExactly(1, 2);
    }
  }

  /** A cache with key "k", dimension 2 and the records A then B; its file. */
  private Path cacheOfTwoRecords() throws IOException {
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "k", 2)) {
      cache.put(SHA_A, chunks(new float[] {1, 2}));
      cache.put(SHA_B, chunks(new float[] {3, 4}));
      return cache.file();
    }
  }

  private void assertOnlyTheFirstRecordIsKeptAndAppendingGoesOn() throws IOException {
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "k", 2)) {
      assertThat(cache.get(SHA_A).embeddings().get(0)).containsExactly(1, 2);
      assertThat(cache.get(SHA_B)).isNull();
      cache.put(SHA_B, chunks(new float[] {5, 6}));
    }
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "k", 2)) {
      assertThat(cache.get(SHA_B).embeddings().get(0)).containsExactly(5, 6);
    }
  }

  private static EmbeddedChunks chunks(float[]... embeddings) {
    int[] tokens = new int[embeddings.length];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = 10 + i;
    }
    return new EmbeddedChunks(List.of(embeddings), tokens);
  }
}
