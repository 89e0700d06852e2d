package io.expertflow.operators.audit;

/**
 * One thing wrong with the audit records read, named by the record it was found at.
 *
 * @param partition the audit partition
 * @param offset the record's offset
 * @param requestId the record's request id, or its key when it could not be read
 * @param kind what is wrong
 * @param detail the particulars: chain, sequences, key id
 */
public record AuditProblem(int partition, long offset, String requestId, Kind kind, String detail) {

  /** What is wrong with a record. */
  public enum Kind {
    /** The value is not an audit record. */
    UNDECODABLE,
    /** No signature, key id or chain: written with signing off, or the fields were stripped. */
    UNSIGNED,
    /** Signed by a key whose public key was not given. */
    UNKNOWN_KEY,
    /** The signature does not verify: the record was altered after signing. */
    BAD_SIGNATURE,
    /** The previous digest is not the digest of the chain's previous record. */
    BROKEN_LINK,
    /** Sequences of the chain are missing before this record. */
    REMOVED,
    /** The record comes after a later record of its chain, or repeats a sequence. */
    REORDERED
  }

  /** One line: {@code partition@offset request <id>: KIND: detail}. */
  public String line() {
    return partition + "@" + offset + " request " + requestId + ": " + kind + ": " + detail;
  }
}
