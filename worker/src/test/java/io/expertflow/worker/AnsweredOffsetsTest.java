package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnsweredOffsetsTest {
  @Test
  void shouldReadBackTheOffsetsItWrote() {
    String metadata =
        AnsweredOffsets.encode(1_000_000L, List.of(1_000_001L, 1_000_007L, 1_016_383L));

    assertThat(metadata).startsWith(AnsweredOffsets.PREFIX);
    assertThat(AnsweredOffsets.decode(1_000_000L, metadata))
        .containsExactly(1_000_001L, 1_000_007L, 1_016_383L);
  }

  @Test
  void shouldWriteNothingWhenNothingWasAnsweredAhead() {
    assertThat(AnsweredOffsets.encode(5, List.of())).isEmpty();
    assertThat(AnsweredOffsets.decode(5, "")).isEmpty();
  }

  @Test
  void shouldReadMetadataOfAnyOtherKindAsNothingAnswered() {
    assertThat(AnsweredOffsets.decode(5, null)).isEmpty();
    assertThat(AnsweredOffsets.decode(5, "written by another tool")).isEmpty();
  }

  @Test
  void shouldStayInsideTheBrokersDefaultMetadataLimitWithTheWholeSpanAnswered() {
    List<Long> all = new ArrayList<>();
    for (long i = 1; i < AnsweredOffsets.MAX_SPAN; i++) {
      all.add(i);
    }

    String metadata = AnsweredOffsets.encode(0, all);

    assertThat(metadata.length()).as("offset.metadata.max.bytes defaults to 4096").isLessThan(4096);
    assertThat(AnsweredOffsets.decode(0, metadata)).hasSize(AnsweredOffsets.MAX_SPAN - 1);
  }

  @Test
  void shouldRefuseOffsetsOutsideTheSpan() {
    assertThatThrownBy(() -> AnsweredOffsets.encode(10, List.of(10L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 10");
    assertThatThrownBy(() -> AnsweredOffsets.encode(10, List.of(10L + AnsweredOffsets.MAX_SPAN)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldNameDamagedMetadataOfItsOwnKind() {
    assertThatThrownBy(() -> AnsweredOffsets.decode(42, AnsweredOffsets.PREFIX + "*not base64*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("damaged commit metadata at offset 42");
  }
}
