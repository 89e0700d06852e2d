package io.expertflow.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentEmbeddingTest {
  @Test
  void shouldWeighChunksByTokenCountAndNormalise() {
    float[] doc =
        DocumentEmbedding.fold(List.of(new float[] {1, 0}, new float[] {0, 1}), new int[] {3, 1});

    // (3*(1,0) + 1*(0,1)) / 4 = (0.75, 0.25), normalised
    double n = Math.sqrt(0.75 * 0.75 + 0.25 * 0.25);
    assertThat(doc[0]).isCloseTo((float) (0.75 / n), within(1e-6f));
    assertThat(doc[1]).isCloseTo((float) (0.25 / n), within(1e-6f));
  }

  @Test
  void shouldRejectMismatchedCounts() {
    assertThatThrownBy(() -> DocumentEmbedding.fold(List.of(new float[] {1}), new int[] {1, 2}))
        .hasMessageContaining("1 chunk embeddings but 2 token counts");
    assertThatThrownBy(() -> DocumentEmbedding.fold(List.of(), new int[0]))
        .hasMessageContaining("at least one chunk");
  }
}
