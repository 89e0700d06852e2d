package io.expertflow.operators.audit;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The public keys a verifier trusts, by key id: one per signing key in use over the records read,
 * so a rotated key keeps verifying the records it signed. Immutable; thread-safe.
 */
public final class AuditPublicKeys {
  private final Map<String, PublicKey> byId;

  private AuditPublicKeys(Map<String, PublicKey> byId) {
    this.byId = Map.copyOf(byId);
  }

  /** The keys, each under its {@link Ed25519Keys#keyId}. */
  public static AuditPublicKeys of(Collection<PublicKey> keys) {
    Map<String, PublicKey> byId = new LinkedHashMap<>();
    for (PublicKey key : keys) {
      byId.put(Ed25519Keys.keyId(key), key);
    }
    return new AuditPublicKeys(byId);
  }

  public Set<String> keyIds() {
    return byId.keySet();
  }

  public Optional<PublicKey> find(String keyId) {
    return Optional.ofNullable(keyId == null ? null : byId.get(keyId));
  }

  /** Whether {@code signature} is {@code key}'s Ed25519 signature of {@code message}. */
  public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (java.security.SignatureException e) {
      return false; // a malformed signature is a wrong one
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 verification failed to run", e);
    }
  }
}
