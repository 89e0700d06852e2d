package io.expertflow.cli.commands;

import io.expertflow.operators.audit.Ed25519Keys;
import io.expertflow.schemas.errors.ErrorText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The development audit signing key of the local stack: {@code expertflow up} makes it once in
 * {@value #DIR} (kept across runs, so older records still verify) and names it in the stack file;
 * {@code expertflow streams} signs with it and {@code expertflow audit verify} checks with its
 * public half when nothing else is given. For development only: anyone who can read the folder can
 * sign.
 */
final class DevAuditKey {
  /** Folder of the development key, beside the stack file. */
  static final String DIR = ".expertflow/audit-dev-key";

  /** The stack file's key naming the private key file. */
  static final String STACK_KEY = "audit.signing.key.file";

  private DevAuditKey() {}

  /** The key pair in {@code dir}, made there first if absent; returns the private key's file. */
  static Path ensure(Path dir) {
    Path privateFile = dir.resolve(AuditCommand.PRIVATE_FILE);
    if (!Files.isRegularFile(privateFile)) {
      try {
        AuditCommand.writeKeyPair(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot write the dev audit key in " + dir + ": " + ErrorText.of(e), e);
      }
    }
    return privateFile.toAbsolutePath();
  }

  /** The key id of the private key in {@code file}. */
  static String keyId(Path file) {
    return Ed25519Keys.readPrivate(file).keyId();
  }

  /** The private key file the local stack's file names, if {@code expertflow up} runs here. */
  static Optional<Path> fromStack() {
    return Optional.ofNullable(
            ConnectionOptions.stackValue(Path.of(ConnectionOptions.STACK_FILE), STACK_KEY))
        .map(Path::of);
  }

  /** The public key file beside {@code privateFile}. */
  static Path publicOf(Path privateFile) {
    return privateFile.resolveSibling(AuditCommand.PUBLIC_FILE);
  }
}
