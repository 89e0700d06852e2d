package io.expertflow.operators.audit;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.RuleOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Audit records for the tests, and chains of them sealed with a key. */
final class AuditRecordSamples {
  static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

  private AuditRecordSamples() {}

  static AuditRecord unsigned(String requestId) {
    return AuditRecord.newBuilder()
        .setRequestId(requestId)
        .setDocumentId("doc-" + requestId)
        .setTenant("acme")
        .setInputSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        .setOutputSha256("60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752")
        .setModelName("minilm-moe")
        .setModelVersion("v1")
        .setExperts(List.of(new ExpertGate(17, 0.75f), new ExpertGate(3, 0.25f)))
        .setDecision(ComplianceDecision.BLOCKED)
        .setDecidingRule("block-confident-spam")
        .setRuleOutcomes(
            List.of(
                new RuleOutcome("failed-or-expired", false, ComplianceDecision.REVIEW),
                new RuleOutcome("block-confident-spam", true, ComplianceDecision.BLOCKED)))
        .setAuditedAt(T0)
        .build();
  }

  /** {@code count} records r1..rN, sealed in order as one chain. */
  static List<AuditRecord> chain(AuditSealer sealer, String chain, int count) {
    List<AuditRecord> out = new ArrayList<>();
    Optional<AuditChainHead> head = Optional.empty();
    for (int i = 1; i <= count; i++) {
      AuditSealer.Sealed sealed = sealer.seal(unsigned("r" + i), chain, head);
      out.add(sealed.record());
      head = Optional.of(sealed.head());
    }
    return out;
  }
}
