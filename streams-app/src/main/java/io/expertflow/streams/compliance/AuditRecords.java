package io.expertflow.streams.compliance;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.operators.compliance.ComplianceVerdict;
import io.expertflow.operators.compliance.OutputDigest;
import java.time.Instant;

/** Builds the audit record of one judged response; it holds hashes and ids, never text. */
final class AuditRecords {
  private AuditRecords() {}

  static AuditRecord of(InferenceResponse response, ComplianceVerdict verdict, long auditedAtMs) {
    return AuditRecord.newBuilder()
        .setRequestId(response.getRequestId())
        .setDocumentId(response.getDocumentId())
        .setTenant(response.getTenant())
        .setInputSha256(response.getInputSha256())
        .setOutputSha256(OutputDigest.sha256(response))
        .setModelName(response.getModelName())
        .setModelVersion(response.getModelVersion())
        .setExperts(response.getExperts())
        .setDecision(verdict.decision())
        .setDecidingRule(verdict.decidingRule().orElse(null))
        .setRuleOutcomes(verdict.outcomes())
        .setAuditedAt(Instant.ofEpochMilli(auditedAtMs))
        .build();
  }
}
