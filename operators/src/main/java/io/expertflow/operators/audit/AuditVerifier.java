package io.expertflow.operators.audit;

import io.expertflow.avro.AuditRecord;
import io.expertflow.operators.audit.AuditProblem.Kind;
import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks audit records read back, in offset order per partition: each record's signature against
 * the public key of its key id, and each chain's links (sequence one more than the last, previous
 * digest equal to the last record's digest). A missing sequence is reported as removed unless it
 * turns up later, then as reordered. The first record of a chain seen anchors it: records before a
 * read range are not checked. Single-threaded: one verification per instance.
 */
public final class AuditVerifier {
  private final AuditPublicKeys keys;
  private final Map<String, Chain> chains = new HashMap<>();
  private final List<AuditProblem> problems = new ArrayList<>();
  private long records;
  private long ok;

  public AuditVerifier(AuditPublicKeys keys) {
    this.keys = keys;
  }

  /** Checks the record at {@code partition}@{@code offset}. */
  public void check(int partition, long offset, AuditRecord record) {
    records++;
    Position at = new Position(partition, offset, record.getRequestId());
    int before = problems.size();
    if (record.getSignature() == null
        || record.getKeyId() == null
        || record.getChain() == null
        || record.getSequence() == null) {
      report(
          at,
          Kind.UNSIGNED,
          "no signature, key id, chain or sequence: written while audit signing was off, or the"
              + " fields were stripped");
    } else {
      byte[] canonical = AuditCanonicalForm.bytes(record);
      boolean signed = checkSignature(at, record, canonical);
      link(at, record, signed ? AuditCanonicalForm.sha256(canonical) : null);
    }
    if (problems.size() == before) {
      ok++;
    }
  }

  /** Counts a record that could not be decoded as an audit record. */
  public void undecodable(int partition, long offset, String key, String why) {
    records++;
    report(new Position(partition, offset, key), Kind.UNDECODABLE, why);
  }

  /** The report; sequences still missing at the end are reported as removed. */
  public AuditReport finish() {
    List<AuditProblem> all = new ArrayList<>(problems);
    chains.forEach(
        (id, chain) ->
            chain.gaps.forEach(
                gap ->
                    all.add(
                        problem(
                            gap.before,
                            Kind.REMOVED,
                            "chain "
                                + id
                                + ": "
                                + range(gap.from, gap.to)
                                + " missing before this record (removed)"))));
    return new AuditReport(records, chains.size(), ok, all);
  }

  private boolean checkSignature(Position at, AuditRecord record, byte[] canonical) {
    Optional<PublicKey> key = keys.find(record.getKeyId());
    if (key.isEmpty()) {
      report(
          at,
          Kind.UNKNOWN_KEY,
          "signed with key id "
              + record.getKeyId()
              + ", which is not among the given public keys "
              + keys.keyIds()
              + "; pass that key's public key with --public-key");
      return false;
    }
    if (!AuditPublicKeys.verify(key.get(), canonical, bytes(record.getSignature()))) {
      report(
          at,
          Kind.BAD_SIGNATURE,
          "signature does not verify with key "
              + record.getKeyId()
              + ": the record was altered after signing");
      return false;
    }
    return true;
  }

  /** {@code digest} is null when the record's own bytes cannot be trusted. */
  private void link(Position at, AuditRecord record, byte[] digest) {
    String id = record.getChain();
    long sequence = record.getSequence();
    Chain chain = chains.get(id);
    if (chain == null) {
      chains.put(id, new Chain(sequence, digest, at));
      return;
    }
    if (sequence <= chain.last) {
      if (chain.fill(sequence)) {
        report(
            at,
            Kind.REORDERED,
            "chain " + id + ": sequence " + sequence + " comes after sequence " + chain.last);
      } else {
        report(
            at,
            Kind.REORDERED,
            "chain "
                + id
                + ": sequence "
                + sequence
                + " was already seen (last "
                + chain.last
                + "): replayed or reordered");
      }
      return;
    }
    if (sequence == chain.last + 1 && chain.lastDigest != null) {
      byte[] previous =
          record.getPreviousDigest() == null ? null : bytes(record.getPreviousDigest());
      if (!Arrays.equals(previous, chain.lastDigest)) {
        report(
            at,
            Kind.BROKEN_LINK,
            "chain "
                + id
                + ": previous digest is not the digest of sequence "
                + chain.last
                + " at "
                + chain.lastAt.partition
                + "@"
                + chain.lastAt.offset
                + ": a record was altered or replaced");
      }
    } else if (sequence > chain.last + 1) {
      chain.gaps.add(new Gap(chain.last + 1, sequence - 1, at));
    }
    chain.last = sequence;
    chain.lastDigest = digest;
    chain.lastAt = at;
  }

  private void report(Position at, Kind kind, String detail) {
    problems.add(problem(at, kind, detail));
  }

  private static AuditProblem problem(Position at, Kind kind, String detail) {
    return new AuditProblem(at.partition, at.offset, at.requestId, kind, detail);
  }

  private static String range(long from, long to) {
    return from == to ? "sequence " + from : "sequences " + from + ".." + to;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  private record Position(int partition, long offset, String requestId) {}

  /** Sequences {@code from..to} missing before the record at {@code before}. */
  private record Gap(long from, long to, Position before) {}

  private static final class Chain {
    private final List<Gap> gaps = new ArrayList<>();
    private long last;
    private byte[] lastDigest;
    private Position lastAt;

    private Chain(long last, byte[] lastDigest, Position lastAt) {
      this.last = last;
      this.lastDigest = lastDigest;
      this.lastAt = lastAt;
    }

    /** Whether {@code sequence} was missing; it no longer is. */
    private boolean fill(long sequence) {
      for (int i = 0; i < gaps.size(); i++) {
        Gap gap = gaps.get(i);
        if (sequence >= gap.from && sequence <= gap.to) {
          gaps.remove(i);
          if (sequence < gap.to) {
            gaps.add(i, new Gap(sequence + 1, gap.to, gap.before));
          }
          if (sequence > gap.from) {
            gaps.add(i, new Gap(gap.from, sequence - 1, gap.before));
          }
          return true;
        }
      }
      return false;
    }
  }
}
