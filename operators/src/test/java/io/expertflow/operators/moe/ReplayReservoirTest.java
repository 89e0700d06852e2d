package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplayReservoirTest {
  private static final List<String> LABELS = List.of("ham", "spam");

  @Test
  void shouldKeepAtMostCapacitySamplesDrawnUniformly() {
    ReplayReservoir reservoir = new ReplayReservoir(LABELS, 2, 1, 100);
    Random random = new Random(1);
    for (int i = 0; i < 10_000; i++) {
      reservoir.offer(0, new LabeledEmbedding(new float[] {i, 0}, i % 2), random);
    }

    List<LabeledEmbedding> kept = reservoir.samples(0);
    assertThat(kept).hasSize(100);
    double meanIndex = kept.stream().mapToDouble(s -> s.embedding()[0]).average().orElseThrow();
    // a uniform sample of 0..9999 has mean ~5000; keeping only the first or last would not
    assertThat(meanIndex).isBetween(3500.0, 6500.0);
  }

  @Test
  void shouldRoundTripThroughItsBinaryForm() throws IOException {
    ReplayReservoir reservoir = new ReplayReservoir(LABELS, 3, 2, 4);
    Random random = new Random(2);
    reservoir.offer(1, new LabeledEmbedding(new float[] {1, 2, 3}, 1), random);
    reservoir.offer(1, new LabeledEmbedding(new float[] {4, 5, 6}, 0), random);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    reservoir.writeTo(bytes);
    ReplayReservoir read = ReplayReservoir.readFrom(new ByteArrayInputStream(bytes.toByteArray()));

    assertThat(read.labels()).isEqualTo(LABELS);
    assertThat(read.experts()).isEqualTo(2);
    assertThat(read.capacity()).isEqualTo(4);
    assertThat(read.samples(0)).isEmpty();
    assertThat(read.samples(1)).hasSize(2);
    assertThat(read.samples(1).get(1).embedding()).containsExactly(4, 5, 6);
    assertThat(read.samples(1).get(1).label()).isZero();
  }

  @Test
  void shouldRejectAGuardSetFileGivenAsAReservoir() throws IOException {
    GuardSet guard =
        new GuardSet(LABELS, 2, List.of(new LabeledEmbedding(new float[] {0.5f, -1f}, 1)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    guard.writeTo(bytes);

    assertThat(GuardSet.readFrom(new ByteArrayInputStream(bytes.toByteArray())))
        .satisfies(
            g -> {
              assertThat(g.labels()).isEqualTo(LABELS);
              assertThat(g.samples().get(0).embedding()).containsExactly(0.5f, -1f);
            });
    assertThatThrownBy(
            () -> ReplayReservoir.readFrom(new ByteArrayInputStream(bytes.toByteArray())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a replay reservoir file");
  }
}
