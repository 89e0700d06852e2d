package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.operators.audit.Ed25519Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code expertflow audit} without a broker: keys, and the errors that come before reading. */
class AuditCommandTest {
  @TempDir Path dir;

  @Test
  void shouldWriteAKeyPairAndPrintItsId() throws Exception {
    CliRun result = run("audit", "keygen", "--out", dir.toString());

    assertThat(result.code()).as(result.err()).isZero();
    Path privateFile = dir.resolve(AuditCommand.PRIVATE_FILE);
    String keyId = Ed25519Keys.readPrivate(privateFile).keyId();
    assertThat(Ed25519Keys.keyId(Ed25519Keys.readPublic(dir.resolve(AuditCommand.PUBLIC_FILE))))
        .isEqualTo(keyId);
    assertThat(result.out()).startsWith("key id " + keyId).contains("audit.signing.key.file=");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile)))
        .isEqualTo("rw-------");
  }

  @Test
  void shouldNeverOverwriteAKey() throws Exception {
    run("audit", "keygen", "--out", dir.toString());
    String before = Files.readString(dir.resolve(AuditCommand.PRIVATE_FILE));

    CliRun again = run("audit", "keygen", "--out", dir.toString());

    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains(AuditCommand.PRIVATE_FILE).contains("already there");
    assertThat(Files.readString(dir.resolve(AuditCommand.PRIVATE_FILE))).isEqualTo(before);
  }

  @Test
  void shouldRefuseARangeThatIsNeitherOffsetNorTime() throws Exception {
    run("audit", "keygen", "--out", dir.toString());

    CliRun result =
        run(
            "audit",
            "verify",
            "--public-key",
            dir.resolve(AuditCommand.PUBLIC_FILE).toString(),
            "--from",
            "yesterday");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("--from must be an offset").contains("'yesterday'");
  }

  @Test
  void shouldReadOffsetsAndTimesAsRangeEnds() {
    assertThat(AuditRange.parse("--to", "1200")).isEqualTo(new AuditRange(1200, null));
    assertThat(AuditRange.parse("--from", "2026-03-02T00:00:00Z").time())
        .isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
  }

  @Test
  void shouldRefuseAPublicKeyFileThatHoldsNoKey() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pem"), "nothing");

    CliRun result = run("audit", "verify", "--public-key", junk.toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("junk.pem").contains("keygen");
  }

  private static CliRun run(String... args) {
    return CliRun.run(args);
  }
}
