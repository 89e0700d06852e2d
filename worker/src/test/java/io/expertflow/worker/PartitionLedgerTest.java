package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.avro.DeadLetterReason;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionLedgerTest {
  private static final TopicPartition P0 = new TopicPartition("requests", 0);
  private static final TopicPartition P1 = new TopicPartition("requests", 1);

  private final PartitionLedger ledger = new PartitionLedger();

  @Test
  void shouldReleaseOutcomesAsTheyCompleteAndCommitBeforeTheFirstUnfinishedRecord() {
    ledger.assign(List.of(P0, P1));
    PendingRecord a = ledger.track(record(P0, 0), "a", null);
    PendingRecord b = ledger.track(record(P0, 1), "b", null);
    PendingRecord c = ledger.track(record(P0, 2), "c", null);
    PendingRecord x = ledger.track(record(P1, 7), "x", null);

    ledger.complete(done(c));
    ledger.complete(done(a));
    ledger.complete(done(x));

    assertThat(ledger.holdCompleted())
        .extracting(PendingRecord::requestId)
        .containsExactlyInAnyOrder("a", "c", "x");
    PartitionLedger.Release release = ledger.takeHeld();
    assertThat(release.offsets())
        .as("commit up to the unfinished record at offset 1, naming 2 as answered; after 7")
        .isEqualTo(
            Map.of(
                P0,
                new OffsetAndMetadata(1, AnsweredOffsets.encode(1, List.of(2L))),
                P1,
                new OffsetAndMetadata(8)));
    assertThat(ledger.inFlight()).as("in flight until committed").isEqualTo(4);

    ledger.committed(release.records().size());
    assertThat(ledger.inFlight()).isEqualTo(1);
    ledger.complete(done(b));

    assertThat(ledger.holdCompleted()).extracting(PendingRecord::requestId).containsExactly("b");
    assertThat(ledger.takeHeld().offsets()).isEqualTo(Map.of(P0, new OffsetAndMetadata(3)));
  }

  @Test
  void shouldSkipWhatTheCommittedMetadataNamesAsAnsweredAndCommitPastIt() {
    ledger.assign(
        List.of(P0), Map.of(P0, new OffsetAndMetadata(4, AnsweredOffsets.encode(4, List.of(5L)))));

    PendingRecord first = ledger.track(record(P0, 4), "first", null);
    assertThat(ledger.skipIfAnswered(record(P0, 4))).isFalse();
    assertThat(ledger.skipIfAnswered(record(P0, 5))).as("answered by the earlier reader").isTrue();
    ledger.track(record(P0, 6), "later", null);
    assertThat(ledger.inFlight()).as("the skipped record is not in flight").isEqualTo(2);

    ledger.complete(done(first));
    assertThat(ledger.holdCompleted())
        .extracting(PendingRecord::requestId)
        .containsExactly("first");
    assertThat(ledger.takeHeld().offsets())
        .as("past the skipped record, to the unfinished one at 6")
        .isEqualTo(Map.of(P0, new OffsetAndMetadata(6)));
  }

  @Test
  void shouldKeepHeldOutcomesUntilTheyAreTaken() {
    ledger.assign(List.of(P0));
    ledger.complete(done(ledger.track(record(P0, 0), "a", null)));
    assertThat(ledger.holdCompleted()).hasSize(1);

    ledger.complete(done(ledger.track(record(P0, 1), "b", null)));

    assertThat(ledger.holdCompleted())
        .as("an outcome held by an earlier attempt stays first")
        .extracting(PendingRecord::requestId)
        .containsExactly("a", "b");
    PartitionLedger.Release release = ledger.takeHeld();
    assertThat(release.offsets()).isEqualTo(Map.of(P0, new OffsetAndMetadata(2)));
    assertThat(ledger.holdCompleted()).as("taken, so no longer held").isEmpty();
    assertThat(ledger.takeHeld().offsets()).isEmpty();
  }

  @Test
  void shouldForgetEverythingOfRevokedPartitions() {
    ledger.assign(List.of(P0, P1));
    PendingRecord a = ledger.track(record(P0, 0), "a", null);
    ledger.track(record(P0, 1), "b", null);
    PendingRecord x = ledger.track(record(P1, 0), "x", null);
    ledger.complete(done(a));
    ledger.complete(done(x));
    ledger.holdCompleted();

    ledger.forget(List.of(P0));

    assertThat(ledger.isAssigned(P0)).isFalse();
    assertThat(ledger.inFlight()).as("only P1's record is left").isEqualTo(1);
    PartitionLedger.Release release = ledger.takeHeld();
    assertThat(release.records()).extracting(PendingRecord::requestId).containsExactly("x");
    assertThat(release.offsets()).containsOnlyKeys(P1);
  }

  @Test
  void shouldDropCompletionsOfAnEarlierAssignmentOfThePartition() {
    ledger.assign(List.of(P0));
    PendingRecord stale = ledger.track(record(P0, 0), "a", null);
    ledger.forget(List.of(P0));
    ledger.assign(List.of(P0));
    ledger.track(record(P0, 0), "a", null);

    assertThat(ledger.complete(done(stale))).isFalse();
    assertThat(ledger.holdCompleted()).as("the new owner's record is not done").isEmpty();
  }

  @Test
  void shouldForgetAllWorkOnResetButKeepThePartitions() {
    ledger.assign(List.of(P0));
    PendingRecord a = ledger.track(record(P0, 0), "a", null);
    ledger.track(record(P0, 1), "b", null);

    ledger.reset(Map.of());

    assertThat(ledger.inFlight()).isZero();
    assertThat(ledger.assigned()).containsExactly(P0);
    assertThat(ledger.complete(done(a))).as("completed under the old generation").isFalse();
    ledger.track(record(P0, 0), "a", null);
    assertThat(ledger.inFlight()).isEqualTo(1);
  }

  @Test
  void shouldIgnoreASecondCompletionOfTheSameRecord() {
    ledger.assign(List.of(P0));
    PendingRecord a = ledger.track(record(P0, 0), "a", null);

    assertThat(ledger.complete(done(a))).isTrue();
    assertThat(ledger.complete(done(a))).isFalse();
    assertThat(ledger.holdCompleted()).hasSize(1);
  }

  @Test
  void shouldRefuseToTrackARecordOfAPartitionNotAssigned() {
    assertThatThrownBy(() -> ledger.track(record(P1, 3), "x", null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("offset 3")
        .hasMessageContaining("requests-1");
  }

  private static ConsumerRecord<byte[], byte[]> record(TopicPartition tp, long offset) {
    return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, null, new byte[0]);
  }

  private static PendingRecord done(PendingRecord p) {
    return p.withOutcome(new Outcome.Rejected(DeadLetterReason.INTERNAL, "test outcome", 1));
  }
}
