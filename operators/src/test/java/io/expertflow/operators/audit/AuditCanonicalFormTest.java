package io.expertflow.operators.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.RuleOutcome;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class AuditCanonicalFormTest {
  private final AuditRecord base =
      AuditRecord.newBuilder(AuditRecordSamples.unsigned("r1"))
          .setKeyId("0123456789abcdef")
          .setChain("responses-3")
          .setSequence(7L)
          .setPreviousDigest(ByteBuffer.wrap(new byte[32]))
          .build();

  @Test
  void shouldKeepTheVersionOneEncodingStable() {
    // computed apart from this code, from the layout in the Javadoc; a change breaks the
    // verification of every record already written:
    // give a new layout a new tag instead
    assertThat(HexFormat.of().formatHex(AuditCanonicalForm.digest(base))).isEqualTo(GOLDEN_DIGEST);
    assertThat(AuditCanonicalForm.bytes(base)).startsWith(tagPrefix());
  }

  @Test
  void shouldCoverEveryFieldButTheSignature() {
    List<UnaryOperator<AuditRecord.Builder>> changes =
        List.of(
            b -> b.setKeyId("fedcba9876543210"),
            b -> b.setChain("responses-4"),
            b -> b.setSequence(8L),
            b -> b.setPreviousDigest(null),
            b -> b.setRequestId("r2"),
            b -> b.setDocumentId("doc-r2"),
            b -> b.setTenant("globex"),
            b -> b.setInputSha256("00" + b.getInputSha256().substring(2)),
            b -> b.setOutputSha256("00" + b.getOutputSha256().substring(2)),
            b -> b.setModelName("other"),
            b -> b.setModelVersion("v2"),
            b -> b.setExperts(List.of(new ExpertGate(17, 0.76f), new ExpertGate(3, 0.24f))),
            b -> b.setDecision(ComplianceDecision.APPROVED),
            b -> b.setDecidingRule(null),
            b ->
                b.setRuleOutcomes(
                    List.of(new RuleOutcome("failed-or-expired", true, ComplianceDecision.REVIEW))),
            b -> b.setAuditedAt(b.getAuditedAt().plusMillis(1)));

    for (UnaryOperator<AuditRecord.Builder> change : changes) {
      AuditRecord changed = change.apply(AuditRecord.newBuilder(base)).build();
      assertThat(AuditCanonicalForm.bytes(changed)).isNotEqualTo(AuditCanonicalForm.bytes(base));
    }
    AuditRecord signed =
        AuditRecord.newBuilder(base).setSignature(ByteBuffer.wrap(new byte[64])).build();
    assertThat(AuditCanonicalForm.bytes(signed)).isEqualTo(AuditCanonicalForm.bytes(base));
  }

  @Test
  void shouldNotLetOneFieldForgeTheBoundaryOfTheNext() {
    AuditRecord a =
        AuditRecord.newBuilder(base).setModelName("minilm").setModelVersion("-moev1").build();
    AuditRecord b =
        AuditRecord.newBuilder(base).setModelName("minilm-moe").setModelVersion("v1").build();

    assertThat(AuditCanonicalForm.bytes(a)).isNotEqualTo(AuditCanonicalForm.bytes(b));
  }

  private static byte[] tagPrefix() {
    byte[] tag = AuditCanonicalForm.TAG.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + tag.length).putInt(tag.length).put(tag).array();
  }

  private static final String GOLDEN_DIGEST =
      "141835e2b0777789dc39c3134c3cb3d02bab9f50487aa0ed89dfd0797dc1c14d";
}
