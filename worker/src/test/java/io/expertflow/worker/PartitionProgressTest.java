package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {
  private final PartitionProgress<String> progress = new PartitionProgress<>();

  @Test
  void shouldReleaseResultsAsTheyCompleteAndCommitOnlyBeforeTheFirstUnfinishedRecord() {
    progress.track(10);
    progress.track(11);
    progress.track(12);

    progress.complete(12, "c");

    assertThat(progress.drain()).as("released before 10 and 11 are done").containsExactly("c");
    assertThat(progress.commitPosition())
        .as("the committed offset stays at 10; the metadata names 12 as answered")
        .isEqualTo(new OffsetAndMetadata(10, AnsweredOffsets.encode(10, List.of(12L))));
    assertThat(progress.inFlight()).isEqualTo(2);

    progress.complete(10, "a");
    assertThat(progress.drain()).containsExactly("a");
    assertThat(progress.commitPosition())
        .isEqualTo(new OffsetAndMetadata(11, AnsweredOffsets.encode(11, List.of(12L))));

    progress.complete(11, "b");
    assertThat(progress.drain()).containsExactly("b");
    assertThat(progress.commitPosition()).isEqualTo(new OffsetAndMetadata(13, ""));
    assertThat(progress.inFlight()).isZero();
  }

  @Test
  void shouldHaveNoPositionUntilSomethingIsReleased() {
    progress.track(0);
    progress.track(1);

    assertThat(progress.drain()).isEmpty();
    assertThat(progress.commitPosition()).isNull();
  }

  @Test
  void shouldReleaseEachResultOnce() {
    progress.track(0);
    progress.track(1);
    progress.complete(1, "b");
    assertThat(progress.drain()).containsExactly("b");

    assertThat(progress.complete(1, "again")).as("a released record completes no more").isFalse();
    assertThat(progress.drain()).isEmpty();
  }

  @Test
  void shouldSkipRecordsAnEarlierReaderAnsweredAndKeepNamingThoseNotReadYet() {
    PartitionProgress<String> next =
        new PartitionProgress<>(new TreeSet<>(AnsweredOffsets.decode(20, metadata(20, 21, 23))));

    assertThat(next.answeredBefore(21)).isTrue();
    assertThat(next.track(20)).isTrue();
    assertThat(next.track(21)).as("answered before: not to be processed").isFalse();
    assertThat(next.track(22)).isTrue();
    assertThat(next.inFlight()).isEqualTo(2);

    next.complete(20, "a");
    assertThat(next.drain()).containsExactly("a");
    assertThat(next.commitPosition())
        .as("21 is passed; 23, answered and not read yet, is still named")
        .isEqualTo(new OffsetAndMetadata(22, AnsweredOffsets.encode(22, List.of(23L))));

    next.complete(22, "c");
    assertThat(next.drain()).containsExactly("c");
    assertThat(next.commitPosition())
        .isEqualTo(new OffsetAndMetadata(23, AnsweredOffsets.encode(23, List.of())));
  }

  @Test
  void shouldHoldResultsBeyondTheSpanTheMetadataCanName() {
    long far = AnsweredOffsets.MAX_SPAN;
    progress.track(0);
    progress.track(far - 1);
    progress.track(far);
    progress.complete(far - 1, "inside");
    progress.complete(far, "beyond");

    assertThat(progress.drain()).containsExactly("inside");
    assertThat(progress.commitPosition().offset()).isZero();

    progress.complete(0, "first");
    assertThat(progress.drain()).containsExactly("first", "beyond");
    assertThat(progress.commitPosition()).isEqualTo(new OffsetAndMetadata(far + 1, ""));
  }

  @Test
  void shouldRefuseOffsetsOutOfOrder() {
    progress.track(7);

    assertThatThrownBy(() -> progress.track(7)).isInstanceOf(IllegalStateException.class);
  }

  private static String metadata(long committed, long... answered) {
    List<Long> offsets = new java.util.ArrayList<>();
    for (long a : answered) {
      if (a > committed) {
        offsets.add(a);
      }
    }
    return AnsweredOffsets.encode(committed, offsets);
  }
}
