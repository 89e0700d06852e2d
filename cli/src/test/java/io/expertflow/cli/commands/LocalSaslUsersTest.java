package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.local.KafkaUserAcls;
import io.expertflow.local.LocalKafkaSasl;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSaslUsersTest {
  private static final Path MANIFESTS =
      Path.of("..").resolve(LocalSaslUsers.MANIFESTS).toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void shouldGiveEveryKafkaUserOfTheManifestsAPasswordAndKeepThemForTheDataFolder()
      throws Exception {
    KafkaUserAcls acls = KafkaUserAcls.load(MANIFESTS);
    Path kept = dir.resolve("data").resolve(LocalSaslUsers.PASSWORDS_FILE);

    LocalKafkaSasl first = LocalSaslUsers.users(acls, kept);
    LocalKafkaSasl again = LocalSaslUsers.users(acls, kept);
    LocalKafkaSasl fresh = LocalSaslUsers.users(acls, null);

    assertThat(first.users().keySet()).containsExactlyInAnyOrderElementsOf(acls.users());
    assertThat(first.users()).containsKey("expertflow-worker");
    assertThat(first.superUser()).isEqualTo("admin");
    assertThat(again.users()).isEqualTo(first.users());
    assertThat(fresh.users().get("expertflow-worker"))
        .isNotEqualTo(first.users().get("expertflow-worker"))
        .hasSizeGreaterThanOrEqualTo(24);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)))
        .isEqualTo("rw-------");
  }

  @Test
  void shouldWriteOneOwnerOnlyClientFilePerUserThatLogsInWithItsPassword() throws Exception {
    LocalKafkaSasl sasl = LocalSaslUsers.users(KafkaUserAcls.load(MANIFESTS), null);

    Path superFile = LocalSaslUsers.writeClientFiles(sasl, dir.resolve("users"));

    assertThat(superFile.getFileName()).hasToString("admin.properties");
    Path worker = dir.resolve("users").resolve("expertflow-worker.properties");
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(worker)) {
      p.load(in);
    }
    assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_PLAINTEXT");
    assertThat(p.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
    assertThat(p.getProperty("sasl.jaas.config"))
        .contains("username=\"expertflow-worker\"")
        .contains("password=\"" + sasl.users().get("expertflow-worker") + "\"");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(worker)))
        .isEqualTo("rw-------");
    try (var files = Files.list(dir.resolve("users"))) {
      assertThat(files.count()).isEqualTo(sasl.users().size() + 1);
    }
  }
}
