package io.expertflow.operators.audit;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;

/**
 * An Ed25519 private key with its public half and key id. Its {@link #toString} never shows the
 * key. Immutable; thread-safe (each signature uses its own {@link Signature}).
 */
public final class AuditSigningKey {
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String keyId;

  private AuditSigningKey(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    this.keyId = Ed25519Keys.keyId(publicKey);
  }

  /**
   * The key of a pair, checked by signing and verifying a test message.
   *
   * @throws IllegalArgumentException when the halves do not belong together
   */
  public static AuditSigningKey checked(PrivateKey privateKey, PublicKey publicKey) {
    AuditSigningKey key = new AuditSigningKey(privateKey, publicKey);
    byte[] probe = "expertflow audit key check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (!AuditPublicKeys.verify(publicKey, probe, key.sign(probe))) {
      throw new IllegalArgumentException(
          "the audit signing key's private and public halves do not match (key id "
              + key.keyId
              + ")");
    }
    return key;
  }

  /** The Ed25519 signature (64 bytes) of {@code message}. */
  public byte[] sign(byte[] message) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(privateKey);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed for key " + keyId, e);
    }
  }

  public String keyId() {
    return keyId;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  @Override
  public String toString() {
    return "Ed25519 audit signing key " + keyId;
  }
}
