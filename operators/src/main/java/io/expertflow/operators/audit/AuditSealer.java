package io.expertflow.operators.audit;

import io.expertflow.avro.AuditRecord;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * Signs audit records and links each to its chain: the record gets the key id, the chain, the next
 * sequence and the previous record's digest, then the signature of its canonical bytes ({@link
 * AuditCanonicalForm}). The caller keeps the chain's head and hands it back for the next record.
 * Immutable; thread-safe.
 */
public final class AuditSealer {
  private final AuditSigningKey key;

  public AuditSealer(AuditSigningKey key) {
    this.key = Objects.requireNonNull(key, "key");
  }

  public String keyId() {
    return key.keyId();
  }

  /**
   * {@code record} signed as the next record of {@code chain} after {@code head} (empty for the
   * chain's first record), with the chain's new head.
   */
  public Sealed seal(AuditRecord record, String chain, Optional<AuditChainHead> head) {
    Objects.requireNonNull(chain, "chain");
    long sequence = head.map(h -> h.sequence() + 1).orElse(1L);
    AuditRecord linked =
        AuditRecord.newBuilder(record)
            .setKeyId(key.keyId())
            .setChain(chain)
            .setSequence(sequence)
            .setPreviousDigest(head.map(h -> ByteBuffer.wrap(h.digest())).orElse(null))
            .setSignature(null)
            .build();
    byte[] canonical = AuditCanonicalForm.bytes(linked);
    linked.setSignature(ByteBuffer.wrap(key.sign(canonical)));
    return new Sealed(linked, new AuditChainHead(sequence, AuditCanonicalForm.sha256(canonical)));
  }

  /**
   * A signed record and the head its chain has after it.
   *
   * @param record the signed record, to be written
   * @param head the chain's head after {@code record}, to be kept
   */
  public record Sealed(AuditRecord record, AuditChainHead head) {}
}
