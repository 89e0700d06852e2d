package io.expertflow.operators.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.AuditRecord;
import io.expertflow.operators.audit.AuditProblem.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditVerifierTest {
  private static final int PARTITION = 2;

  private final AuditSigningKey key = Ed25519Keys.fromSeed(new byte[32]);
  private final AuditSealer sealer = new AuditSealer(key);
  private final AuditPublicKeys trusted = AuditPublicKeys.of(List.of(key.publicKey()));

  /** The records as the audit partition holds them, at offsets 100, 101, ... */
  private AuditReport verify(AuditPublicKeys keys, List<AuditRecord> partition) {
    AuditVerifier verifier = new AuditVerifier(keys);
    for (int i = 0; i < partition.size(); i++) {
      verifier.check(PARTITION, 100 + i, partition.get(i));
    }
    return verifier.finish();
  }

  @Test
  void shouldPassAnUntouchedChain() {
    List<AuditRecord> records = AuditRecordSamples.chain(sealer, "responses-3", 5);

    AuditReport report = verify(trusted, records);

    assertThat(report.clean()).isTrue();
    assertThat(report.summary()).isEqualTo("5 record(s) checked in 1 chain(s): 5 ok, 0 problem(s)");
    assertThat(records).extracting(AuditRecord::getSequence).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(records.get(0).getPreviousDigest()).isNull();
    assertThat(records.get(1).getPreviousDigest().array())
        .isEqualTo(AuditCanonicalForm.digest(records.get(0)));
  }

  @Test
  void shouldNameTheRecordWhoseOutputHashWasChanged() {
    List<AuditRecord> records = new ArrayList<>(AuditRecordSamples.chain(sealer, "responses-3", 4));
    records.set(2, AuditRecord.newBuilder(records.get(2)).setOutputSha256("0".repeat(64)).build());

    AuditReport report = verify(trusted, records);

    assertThat(report.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Kind.BAD_SIGNATURE);
              assertThat(p.offset()).isEqualTo(102);
              assertThat(p.partition()).isEqualTo(PARTITION);
              assertThat(p.requestId()).isEqualTo("r3");
              assertThat(p.line()).startsWith("2@102 request r3: BAD_SIGNATURE");
            });
    assertThat(report.ok()).isEqualTo(3);
  }

  @Test
  void shouldNameTheGapOfARemovedRecord() {
    List<AuditRecord> records = new ArrayList<>(AuditRecordSamples.chain(sealer, "responses-3", 5));
    records.remove(2); // r3

    AuditReport report = verify(trusted, records);

    assertThat(report.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Kind.REMOVED);
              assertThat(p.requestId()).isEqualTo("r4");
              assertThat(p.offset()).isEqualTo(102);
              assertThat(p.detail()).contains("chain responses-3").contains("sequence 3 missing");
            });
  }

  @Test
  void shouldNameASwappedRecordAsReordered() {
    List<AuditRecord> records = new ArrayList<>(AuditRecordSamples.chain(sealer, "responses-3", 5));
    Collections.swap(records, 1, 2); // r1, r3, r2, r4, r5

    AuditReport report = verify(trusted, records);

    assertThat(report.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Kind.REORDERED);
              assertThat(p.requestId()).isEqualTo("r2");
              assertThat(p.offset()).isEqualTo(102);
              assertThat(p.detail()).contains("sequence 2 comes after sequence 3");
            });
  }

  @Test
  void shouldNameARecordReplacedByOneSignedForAnotherPlace() {
    List<AuditRecord> records = new ArrayList<>(AuditRecordSamples.chain(sealer, "responses-3", 3));
    // a validly signed record of sequence 2 that links to a different first record
    List<AuditRecord> other = AuditRecordSamples.chain(sealer, "responses-3", 2);
    AuditRecord forged =
        sealer
            .seal(
                AuditRecord.newBuilder(other.get(1)).setTenant("globex").build(),
                "responses-3",
                Optional.of(new AuditChainHead(1, AuditCanonicalForm.sha256(new byte[] {1, 2, 3}))))
            .record();
    records.set(1, forged);

    AuditReport report = verify(trusted, records);

    assertThat(report.problems()).extracting(AuditProblem::kind).contains(Kind.BROKEN_LINK);
    assertThat(report.problems().get(0).offset()).isEqualTo(101);
  }

  @Test
  void shouldNameEveryRecordOfAKeyThatIsNotTrusted() {
    List<AuditRecord> records = AuditRecordSamples.chain(sealer, "responses-3", 3);
    AuditSigningKey other =
        Ed25519Keys.fromSeed(
            new byte[] {
              1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
              17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32
            });

    AuditReport report = verify(AuditPublicKeys.of(List.of(other.publicKey())), records);

    assertThat(report.problems())
        .hasSize(3)
        .allSatisfy(
            p -> {
              assertThat(p.kind()).isEqualTo(Kind.UNKNOWN_KEY);
              assertThat(p.detail()).contains(key.keyId()).contains(other.keyId());
            });
    assertThat(report.ok()).isZero();
  }

  @Test
  void shouldRejectARecordResignedByAnotherKeyUnderTheTrustedKeyId() {
    List<AuditRecord> records = new ArrayList<>(AuditRecordSamples.chain(sealer, "responses-3", 2));
    AuditSigningKey attacker = Ed25519Keys.generateSigningKey();
    AuditRecord resigned =
        new AuditSealer(attacker)
            .seal(
                records.get(1),
                "responses-3",
                Optional.of(new AuditChainHead(1, AuditCanonicalForm.digest(records.get(0)))))
            .record();
    resigned.setKeyId(key.keyId());
    records.set(1, resigned);

    AuditReport report = verify(trusted, records);

    assertThat(report.problems())
        .extracting(AuditProblem::kind)
        .containsExactly(Kind.BAD_SIGNATURE);
  }

  @Test
  void shouldVerifyChainsOfTwoKeysAcrossARotation() {
    AuditSigningKey next = Ed25519Keys.generateSigningKey();
    List<AuditRecord> old = AuditRecordSamples.chain(sealer, "responses-3", 2);
    AuditRecord rotated =
        new AuditSealer(next)
            .seal(
                AuditRecordSamples.unsigned("r3"),
                "responses-3",
                Optional.of(new AuditChainHead(2, AuditCanonicalForm.digest(old.get(1)))))
            .record();
    List<AuditRecord> records = List.of(old.get(0), old.get(1), rotated);

    assertThat(
            verify(AuditPublicKeys.of(List.of(key.publicKey(), next.publicKey())), records).clean())
        .isTrue();
    assertThat(verify(trusted, records).problems())
        .extracting(AuditProblem::kind)
        .containsExactly(Kind.UNKNOWN_KEY);
  }

  @Test
  void shouldNameUnsignedAndUndecodableRecords() {
    AuditVerifier verifier = new AuditVerifier(trusted);
    verifier.check(0, 5, AuditRecordSamples.unsigned("r1"));
    verifier.undecodable(0, 6, "r2", "not an audit record");

    AuditReport report = verifier.finish();

    assertThat(report.problems())
        .extracting(AuditProblem::kind, AuditProblem::requestId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Kind.UNSIGNED, "r1"),
            org.assertj.core.groups.Tuple.tuple(Kind.UNDECODABLE, "r2"));
    assertThat(report.records()).isEqualTo(2);
  }

  @Test
  void shouldAnchorARangeThatStartsInTheMiddleOfAChain() {
    List<AuditRecord> records = AuditRecordSamples.chain(sealer, "responses-3", 6);

    assertThat(verify(trusted, records.subList(3, 6)).clean()).isTrue();
  }
}
