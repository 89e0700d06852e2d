package io.expertflow.streams.compliance;

import io.expertflow.operators.audit.AuditSealer;
import io.expertflow.operators.audit.AuditSigningKey;
import io.expertflow.operators.audit.Ed25519Keys;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the audit signing key the settings name (a file, or the key text from the environment) and
 * says at startup whether audit records are signed. Stateless.
 */
public final class AuditSigning {
  /** The key of the signing key's file. */
  public static final String FILE_KEY = "audit.signing.key.file";

  /** The environment variable that may hold the signing key itself. */
  public static final String ENV = "EXPERTFLOW_AUDIT_SIGNING_KEY";

  private static final Logger LOG = LoggerFactory.getLogger(AuditSigning.class);

  private AuditSigning() {}

  /**
   * The sealer of the configured key, or empty when none is configured; logs one line either way.
   *
   * @throws IllegalArgumentException when both are given, or the key cannot be read
   */
  public static Optional<AuditSealer> load(Optional<Path> file, Optional<String> text) {
    if (file.isPresent() && text.isPresent()) {
      throw new IllegalArgumentException(
          "audit signing key given twice: as "
              + FILE_KEY
              + " ("
              + file.get()
              + ") and as the key itself (audit.signing.key / "
              + ENV
              + "); keep one");
    }
    Optional<AuditSigningKey> key =
        file.map(Ed25519Keys::readPrivate)
            .or(() -> text.map(t -> Ed25519Keys.parsePrivate(t, "audit.signing.key / " + ENV)));
    if (key.isEmpty()) {
      LOG.info(
          "audit signing is off: audit records are written unsigned and unchained; set {} or {}"
              + " ('expertflow audit keygen --out DIR' makes a key)",
          FILE_KEY,
          ENV);
      return Optional.empty();
    }
    LOG.info(
        "audit signing is on: Ed25519 key id {} (from {}), one chain per responses partition",
        key.get().keyId(),
        file.map(Path::toString).orElse("audit.signing.key"));
    return key.map(AuditSealer::new);
  }
}
