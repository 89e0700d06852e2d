package io.expertflow.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.ResponseStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeLedgerTest {

  private static final long DEADLINE = 10_000;

  private final OutcomeLedger ledger = new OutcomeLedger();

  @Test
  void shouldCountEveryRequestWithOneResponseOrOneDeadLetterAsExactlyOnce() {
    ledger.submitted("a", null);
    ledger.submitted("b", DEADLINE);
    ledger.submitted("c", null);
    ledger.response("a", ResponseStatus.OK, 1);
    ledger.audit("a");
    ledger.response("b", ResponseStatus.FAILED, DEADLINE - 1);
    ledger.audit("b");
    ledger.deadLetter("c");

    Reconciliation result = ledger.reconcile();

    assertThat(result.exactlyOnce()).isTrue();
    assertThat(result.submitted()).isEqualTo(3);
    assertThat(result.answeredOnce()).isEqualTo(3);
    assertThat(result.lost()).isZero();
    assertThat(result.duplicated()).isZero();
    assertThat(result.late()).isZero();
    assertThat(result.responses()).isEqualTo(2);
    assertThat(result.failed()).isEqualTo(1);
    assertThat(result.deadLettered()).isEqualTo(1);
    assertThat(result.responsesWithoutAudit()).isZero();
  }

  @Test
  void shouldCountDeadLettersByReasonAndSayThemInTheSummary() {
    ledger.submitted("a", null);
    ledger.submitted("b", null);
    ledger.submitted("c", null);
    ledger.deadLetter(letter("a", DeadLetterReason.DELIVERY_LIMIT));
    ledger.deadLetter(letter("b", DeadLetterReason.DELIVERY_LIMIT));
    ledger.deadLetter(letter("c", DeadLetterReason.DEADLINE_PASSED));
    ledger.deadLetter(letter(null, DeadLetterReason.UNDECODABLE));

    Reconciliation result = ledger.reconcile();

    assertThat(result.deadLetterReasons())
        .containsExactlyInAnyOrderEntriesOf(Map.of("DELIVERY_LIMIT", 2, "DEADLINE_PASSED", 1));
    assertThat(result.deadLettersWithoutRequestId()).isEqualTo(1);
    assertThat(result.summary()).contains("dead-lettered 3 (DEADLINE_PASSED 1, DELIVERY_LIMIT 2)");
  }

  private static DeadLetter letter(String requestId, DeadLetterReason reason) {
    return DeadLetter.newBuilder()
        .setRequestId(requestId)
        .setReason(reason)
        .setDetail("test")
        .setStage("worker")
        .setOrigin("test")
        .setSourceTopic("requests")
        .setSourcePartition(0)
        .setSourceOffset(0)
        .setAttempts(1)
        .setFailedAt(Instant.EPOCH)
        .build();
  }

  @Test
  void shouldNameARequestWithoutAnyOutcomeAsLost() {
    ledger.submitted("answered", null);
    ledger.submitted("lost", null);
    ledger.response("answered", ResponseStatus.OK, 1);
    ledger.audit("answered");

    Reconciliation result = ledger.reconcile();

    assertThat(result.exactlyOnce()).isFalse();
    assertThat(result.lost()).isEqualTo(1);
    assertThat(result.examples().lost()).containsExactly("lost");
    assertThat(result.summary()).contains("lost 1").contains("lost: lost");
  }

  @Test
  void shouldCountTwoResponsesOrAResponseAndADeadLetterAsDuplicated() {
    ledger.submitted("twice", null);
    ledger.submitted("both", null);
    ledger.response("twice", ResponseStatus.OK, 1);
    ledger.response("twice", ResponseStatus.OK, 2);
    ledger.response("both", ResponseStatus.OK, 1);
    ledger.deadLetter("both");

    Reconciliation result = ledger.reconcile();

    assertThat(result.exactlyOnce()).isFalse();
    assertThat(result.duplicated()).isEqualTo(2);
    assertThat(result.surplusOutcomes()).isEqualTo(2);
    assertThat(result.examples().duplicated()).containsExactly("both", "twice");
  }

  @Test
  void shouldCountAnAnswerAfterTheDeadlineAsLateUnlessItSaysExpired() {
    ledger.submitted("late", DEADLINE);
    ledger.submitted("expired", DEADLINE);
    ledger.submitted("in-time", DEADLINE);
    ledger.submitted("no-deadline", null);
    ledger.response("late", ResponseStatus.OK, DEADLINE + 1);
    ledger.response("expired", ResponseStatus.EXPIRED, DEADLINE + 500);
    ledger.response("in-time", ResponseStatus.OK, DEADLINE);
    ledger.response("no-deadline", ResponseStatus.OK, Long.MAX_VALUE);

    Reconciliation result = ledger.reconcile();

    assertThat(result.late()).isEqualTo(1);
    assertThat(result.examples().late()).containsExactly("late");
    assertThat(result.expired()).isEqualTo(1);
    assertThat(result.exactlyOnce()).isTrue();
  }

  @Test
  void shouldMatchOutcomesReadBeforeTheSubmissionTheyAnswer() {
    ledger.response("early", ResponseStatus.OK, DEADLINE + 1);
    ledger.audit("early");

    ledger.submitted("early", DEADLINE);
    Reconciliation result = ledger.reconcile();

    assertThat(result.exactlyOnce()).isTrue();
    assertThat(result.unknown()).isZero();
    assertThat(result.late()).isEqualTo(1);
  }

  @Test
  void shouldFlagResponsesWithoutAuditAndAuditsBeyondTheResponses() {
    ledger.submitted("unaudited", null);
    ledger.submitted("audited-twice", null);
    ledger.response("unaudited", ResponseStatus.OK, 1);
    ledger.response("audited-twice", ResponseStatus.OK, 1);
    ledger.audit("audited-twice");
    ledger.audit("audited-twice");

    Reconciliation result = ledger.reconcile();

    assertThat(result.responsesWithoutAudit()).isEqualTo(1);
    assertThat(result.examples().responsesWithoutAudit()).containsExactly("unaudited");
    assertThat(result.surplusAudits()).isEqualTo(1);
    assertThat(result.examples().surplusAudits()).containsExactly("audited-twice");
  }

  @Test
  void shouldKeepOutcomesOfIdsNeverSubmittedApartAndCountUnmatchableDeadLetters() {
    ledger.submitted("mine", null);
    ledger.response("mine", ResponseStatus.OK, 1);
    ledger.audit("mine");
    ledger.response("someone-elses", ResponseStatus.OK, 1);
    ledger.deadLetter((String) null);
    ledger.submitted("mine", null);

    Reconciliation result = ledger.reconcile();

    assertThat(result.submitted()).isEqualTo(1);
    assertThat(result.exactlyOnce()).isTrue();
    assertThat(result.unknown()).isEqualTo(1);
    assertThat(result.examples().unknown()).containsExactly("someone-elses");
    assertThat(result.deadLettersWithoutRequestId()).isEqualTo(1);
    assertThat(result.resubmissions()).isEqualTo(1);
  }

  @Test
  void shouldNameOnlyTheFirstFewIdsOfAFindingButCountThemAll() {
    for (int i = 0; i < 25; i++) {
      ledger.submitted(String.format("r%02d", i), null);
    }

    Reconciliation result = ledger.reconcile(3);

    assertThat(result.lost()).isEqualTo(25);
    assertThat(result.examples().lost()).containsExactly("r00", "r01", "r02");
  }

  @Test
  void shouldTellPerRequestWhetherItWasAnsweredExpiredOrDeadLettered() {
    ledger.submitted("ok", DEADLINE);
    ledger.submitted("expired", DEADLINE);
    ledger.submitted("letter", DEADLINE);
    ledger.response("ok", ResponseStatus.OK, 1);
    ledger.response("expired", ResponseStatus.EXPIRED, DEADLINE + 5);
    ledger.deadLetter("letter");

    assertThat(ledger.expired("expired")).isTrue();
    assertThat(ledger.expired("ok")).isFalse();
    assertThat(ledger.expired("never-submitted")).isFalse();
    assertThat(ledger.deadLettered("letter")).isTrue();
    assertThat(ledger.deadLettered("expired")).isFalse();
    assertThat(ledger.reconcile().late()).isZero(); // EXPIRED after the deadline is not late
  }
}
