package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartitionProgressTest {
  private final PartitionProgress<String> progress = new PartitionProgress<>();

  @Test
  void shouldHoldBackResultsUntilEveryEarlierRecordIsDone() {
    progress.track(10);
    progress.track(11);
    progress.track(12);

    progress.complete(12, "c");
    progress.complete(11, "b");

    assertThat(progress.drainContiguous()).isEmpty();
    assertThat(progress.nextOffset()).isEqualTo(-1);

    progress.complete(10, "a");

    assertThat(progress.drainContiguous()).containsExactly("a", "b", "c");
    assertThat(progress.nextOffset()).isEqualTo(13);
    assertThat(progress.inFlight()).isZero();
  }

  @Test
  void shouldCommitOnlyTheContiguousPrefix() {
    progress.track(0);
    progress.track(1);
    progress.track(2);
    progress.complete(0, "a");
    progress.complete(2, "c");

    assertThat(progress.drainContiguous()).containsExactly("a");
    assertThat(progress.nextOffset()).isEqualTo(1);
    assertThat(progress.inFlight()).isEqualTo(2);
  }

  @Test
  void shouldIgnoreASecondCompletionOfTheSameRecord() {
    progress.track(5);

    assertThat(progress.complete(5, "first")).isTrue();
    assertThat(progress.complete(5, "second")).isFalse();
    assertThat(progress.drainContiguous()).containsExactly("first");
  }

  @Test
  void shouldRefuseOffsetsOutOfOrder() {
    progress.track(7);

    assertThatThrownBy(() -> progress.track(7)).isInstanceOf(IllegalStateException.class);
  }
}
