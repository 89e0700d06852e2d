package io.expertflow.cli.commands;

import io.expertflow.local.KafkaUserAcls;
import io.expertflow.local.LocalKafkaSasl;
import io.expertflow.local.OwnerOnlyFile;
import io.expertflow.schemas.errors.ErrorText;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The users of {@code expertflow up --sasl}: the super user {@value #SUPER_USER} and one user per
 * KafkaUser of the Kubernetes manifests, each with a random password, and one client file per user
 * ({@code <dir>/<user>.properties}, readable by its owner only) that {@code --command-config}
 * takes. With a kept data folder the passwords are kept beside the broker's data ({@value
 * #PASSWORDS_FILE}), since a formatted node keeps the SCRAM credentials it was formatted with.
 */
final class LocalSaslUsers {
  static final String SUPER_USER = LocalKafkaSasl.DEFAULT_SUPER_USER;
  static final String PASSWORDS_FILE = "sasl-passwords.properties";

  /** The KafkaUser manifests, relative to the project folder. */
  static final Path MANIFESTS = Path.of("deploy", "k8s", "base", "kafka-users.yaml");

  private static final SecureRandom RANDOM = new SecureRandom();

  private LocalSaslUsers() {}

  /**
   * The super user and every user of {@code acls}, with the passwords in {@code kept} (when it
   * exists) or new random ones, which are then written there (when it is not null).
   */
  static LocalKafkaSasl users(KafkaUserAcls acls, Path kept) {
    Properties passwords = new Properties();
    if (kept != null && Files.isRegularFile(kept)) {
      try (InputStream in = Files.newInputStream(kept)) {
        passwords.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + kept + ": " + ErrorText.of(e), e);
      }
    }
    boolean added = false;
    for (String user : acls.users()) {
      added |= passwords.putIfAbsent(user, newPassword()) == null;
    }
    added |= passwords.putIfAbsent(SUPER_USER, newPassword()) == null;
    if (kept != null && added) {
      writePrivate(kept, passwords, "SASL passwords of 'expertflow up --sasl' on this data folder");
    }
    Map<String, String> users = new LinkedHashMap<>();
    for (String user : acls.users()) {
      users.put(user, passwords.getProperty(user));
    }
    return LocalKafkaSasl.of(SUPER_USER, passwords.getProperty(SUPER_USER), users);
  }

  /** Writes one client file per user into {@code dir}; the super user's path. */
  static Path writeClientFiles(LocalKafkaSasl sasl, Path dir) {
    for (String user : sasl.users().keySet()) {
      writeClientFile(sasl, user, dir);
    }
    return writeClientFile(sasl, sasl.superUser(), dir);
  }

  private static Path writeClientFile(LocalKafkaSasl sasl, String user, Path dir) {
    Properties p = new Properties();
    p.putAll(sasl.clientProperties(user));
    Path file = dir.resolve(user + ".properties");
    writePrivate(file, p, "Kafka client settings of user " + user + " ('expertflow up --sasl')");
    return file;
  }

  private static void writePrivate(Path file, Properties p, String comment) {
    StringWriter text = new StringWriter();
    try {
      p.store(text, comment);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    OwnerOnlyFile.write(file, text.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String newPassword() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
