package io.expertflow.operators.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChunkingConfigTest {

  @Test
  void shouldDefaultTo128TokenWindowsOverlappingBy16UpTo32PerDocument() {
    ChunkingConfig config = ChunkingConfig.defaults();

    assertThat(config.maxTokensPerChunk()).isEqualTo(128);
    assertThat(config.overlapTokens()).isEqualTo(16);
    assertThat(config.maxChunksPerDocument()).isEqualTo(32);
    assertThat(config.contentTokensPerChunk()).isEqualTo(126);
    assertThat(config.strideTokens()).isEqualTo(110);
    assertThat(config.maxTokensPerDocument()).isEqualTo(126 + 31 * 110);
  }

  @Test
  void shouldRejectAWindowWithoutRoomForOneToken() {
    assertThatThrownBy(() -> ChunkingConfig.builder().maxTokensPerChunk(2).overlapTokens(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTokensPerChunk")
        .hasMessageContaining("was 2");
  }

  @Test
  void shouldRejectAnOverlapThatWouldStopTheWindowFromMoving() {
    assertThatThrownBy(() -> ChunkingConfig.builder().overlapTokens(126).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overlapTokens")
        .hasMessageContaining("125")
        .hasMessageContaining("was 126");
    assertThatThrownBy(() -> ChunkingConfig.builder().overlapTokens(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was -1");
    assertThat(ChunkingConfig.builder().overlapTokens(125).build().strideTokens()).isEqualTo(1);
  }

  @Test
  void shouldRejectACapBelowOneChunk() {
    assertThatThrownBy(() -> ChunkingConfig.builder().maxChunksPerDocument(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxChunksPerDocument")
        .hasMessageContaining("was 0");
  }
}
