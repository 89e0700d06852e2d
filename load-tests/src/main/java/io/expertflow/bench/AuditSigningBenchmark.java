package io.expertflow.bench;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.RuleOutcome;
import io.expertflow.operators.audit.AuditChainHead;
import io.expertflow.operators.audit.AuditPublicKeys;
import io.expertflow.operators.audit.AuditSealer;
import io.expertflow.operators.audit.AuditSigningKey;
import io.expertflow.operators.audit.AuditVerifier;
import io.expertflow.operators.audit.Ed25519Keys;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of signed audit records on one thread: sealing a record (canonical bytes, Ed25519 signature,
 * digest for the chain), as the compliance processor does per response, and checking one (signature
 * and chain link), as {@code expertflow audit verify} does. Records per second. See docs/STREAMS.md
 * (signed audit records) for the figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 2, time = 5)
public class AuditSigningBenchmark {
  private AuditSealer sealer;
  private AuditRecord unsigned;
  private Optional<AuditChainHead> head = Optional.empty();
  private AuditPublicKeys keys;
  private AuditRecord first;
  private AuditRecord second;
  private long offset;

  @Setup
  public void setUp() {
    AuditSigningKey key = Ed25519Keys.generateSigningKey();
    sealer = new AuditSealer(key);
    keys = AuditPublicKeys.of(List.of(key.publicKey()));
    unsigned =
        AuditRecord.newBuilder()
            .setRequestId("7f1c2a9e-0d1b-4c55-9a53-2b8e3f0c6a11")
            .setDocumentId("doc-1")
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
            .setAuditedAt(Instant.parse("2026-03-02T00:00:00Z"))
            .build();
    AuditSealer.Sealed one = sealer.seal(unsigned, "responses-0", Optional.empty());
    first = one.record();
    second = sealer.seal(unsigned, "responses-0", Optional.of(one.head())).record();
  }

  /** One record signed and linked to the chain, the head kept for the next. */
  @Benchmark
  public AuditRecord seal() {
    AuditSealer.Sealed sealed = sealer.seal(unsigned, "responses-0", head);
    head = Optional.of(sealed.head());
    return sealed.record();
  }

  /** One record checked: signature and link to the previous record (two records per call). */
  @Benchmark
  @org.openjdk.jmh.annotations.OperationsPerInvocation(2)
  public long verify() {
    AuditVerifier verifier = new AuditVerifier(keys);
    verifier.check(0, offset++, first);
    verifier.check(0, offset++, second);
    return verifier.finish().ok();
  }
}
