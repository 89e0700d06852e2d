package io.expertflow.operators.audit;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.RuleOutcome;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The canonical bytes of an audit record: what its signature covers and its digest hashes. Version
 * 1 writes, in this order: the tag {@code expertflow.audit.v1}, key id, chain, sequence, previous
 * digest, request id, document id, tenant, input hash, output hash, model name, model version, the
 * experts (count, then index and gate weight each), decision, deciding rule, the rule outcomes
 * (count, then rule id, matched, decision each) and the audit time. Strings are a 4-byte big-endian
 * length and their UTF-8 bytes, bytes the same way; an absent string, bytes or number is the length
 * -1; numbers are big-endian (int 4 bytes, long 8, float as its 4 IEEE-754 bytes); a boolean is one
 * byte 0 or 1; enums are written as their symbol. The signature field itself is not covered.
 * Stateless; thread-safe.
 */
public final class AuditCanonicalForm {
  /** The tag that starts every canonical encoding; a new layout gets a new tag. */
  public static final String TAG = "expertflow.audit.v1";

  private AuditCanonicalForm() {}

  /** The canonical bytes of {@code record}. */
  public static byte[] bytes(AuditRecord record) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      text(out, TAG);
      text(out, record.getKeyId());
      text(out, record.getChain());
      number(out, record.getSequence());
      bytes(out, record.getPreviousDigest());
      text(out, record.getRequestId());
      text(out, record.getDocumentId());
      text(out, record.getTenant());
      text(out, record.getInputSha256());
      text(out, record.getOutputSha256());
      text(out, record.getModelName());
      text(out, record.getModelVersion());
      out.writeInt(record.getExperts().size());
      for (ExpertGate gate : record.getExperts()) {
        out.writeInt(gate.getExpert());
        out.writeFloat(gate.getWeight());
      }
      text(out, record.getDecision().name());
      text(out, record.getDecidingRule());
      out.writeInt(record.getRuleOutcomes().size());
      for (RuleOutcome outcome : record.getRuleOutcomes()) {
        text(out, outcome.getRuleId());
        out.writeBoolean(outcome.getMatched());
        text(out, outcome.getDecision().name());
      }
      out.writeLong(record.getAuditedAt().toEpochMilli());
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return buffer.toByteArray();
  }

  /** SHA-256 of the canonical bytes of {@code record}: what the next record of its chain names. */
  public static byte[] digest(AuditRecord record) {
    return sha256(bytes(record));
  }

  /** SHA-256 of {@code bytes}. */
  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  private static void text(DataOutputStream out, CharSequence value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
      return;
    }
    byte[] utf8 = value.toString().getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static void bytes(DataOutputStream out, ByteBuffer value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
      return;
    }
    byte[] raw = new byte[value.remaining()];
    value.duplicate().get(raw);
    out.writeInt(raw.length);
    out.write(raw);
  }

  private static void number(DataOutputStream out, Long value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(8);
    out.writeLong(value);
  }
}
