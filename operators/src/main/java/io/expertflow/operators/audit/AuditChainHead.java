package io.expertflow.operators.audit;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The last record of a chain: its sequence and digest, which the next record names. Stored as 8
 * bytes of sequence followed by the 32-byte digest. Immutable.
 *
 * @param sequence the last record's sequence (1 for a chain's first record)
 * @param digest SHA-256 of the last record's canonical bytes
 */
public record AuditChainHead(long sequence, byte[] digest) {
  private static final int DIGEST_LENGTH = 32;

  public AuditChainHead {
    if (sequence < 1) {
      throw new IllegalArgumentException("a chain's sequence starts at 1, was " + sequence);
    }
    if (digest == null || digest.length != DIGEST_LENGTH) {
      throw new IllegalArgumentException("a chain head's digest is a 32-byte SHA-256");
    }
    digest = digest.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  /** The stored form: sequence (8 bytes, big-endian) then digest. */
  public byte[] toBytes() {
    return ByteBuffer.allocate(8 + DIGEST_LENGTH).putLong(sequence).put(digest).array();
  }

  /**
   * The head stored as {@code bytes}.
   *
   * @throws IllegalArgumentException when {@code bytes} is not 40 bytes
   */
  public static AuditChainHead fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != 8 + DIGEST_LENGTH) {
      throw new IllegalArgumentException(
          "a stored chain head has 40 bytes, got " + (bytes == null ? "none" : bytes.length));
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long sequence = buffer.getLong();
    byte[] digest = new byte[DIGEST_LENGTH];
    buffer.get(digest);
    return new AuditChainHead(sequence, digest);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuditChainHead h
        && h.sequence == sequence
        && Arrays.equals(h.digest, digest);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(sequence) * 31 + Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "AuditChainHead[sequence=" + sequence + "]";
  }
}
