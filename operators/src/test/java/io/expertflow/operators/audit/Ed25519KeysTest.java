package io.expertflow.operators.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ed25519KeysTest {
  @TempDir Path dir;

  private final KeyPair pair = Ed25519Keys.generate();
  private final byte[] message = "canonical bytes".getBytes(StandardCharsets.UTF_8);

  @Test
  void shouldReadBackAPemPairAndSignWhatThePublicKeyVerifies() throws Exception {
    Path privateFile =
        Files.writeString(dir.resolve("k.pem"), Ed25519Keys.privatePem(pair.getPrivate()));
    Path publicFile =
        Files.writeString(dir.resolve("k.pub.pem"), Ed25519Keys.publicPem(pair.getPublic()));

    AuditSigningKey key = Ed25519Keys.readPrivate(privateFile);
    PublicKey publicKey = Ed25519Keys.readPublic(publicFile);

    assertThat(key.keyId()).isEqualTo(Ed25519Keys.keyId(pair.getPublic())).hasSize(16);
    assertThat(Ed25519Keys.keyId(publicKey)).isEqualTo(key.keyId());
    assertThat(AuditPublicKeys.verify(publicKey, message, key.sign(message))).isTrue();
  }

  @Test
  void shouldReadARawSeedFileAndBase64TextAsTheSameKey() throws Exception {
    byte[] der = pair.getPrivate().getEncoded();
    byte[] seed = Arrays.copyOfRange(der, der.length - 32, der.length);
    Path raw = Files.write(dir.resolve("seed.bin"), seed);

    AuditSigningKey fromRaw = Ed25519Keys.readPrivate(raw);
    AuditSigningKey fromSeedText =
        Ed25519Keys.parsePrivate(Base64.getEncoder().encodeToString(seed), "env");
    AuditSigningKey fromDerText =
        Ed25519Keys.parsePrivate(Base64.getEncoder().encodeToString(der), "env");

    String expected = Ed25519Keys.keyId(pair.getPublic());
    assertThat(fromRaw.keyId()).isEqualTo(expected);
    assertThat(fromSeedText.keyId()).isEqualTo(expected);
    assertThat(fromDerText.keyId()).isEqualTo(expected);
    assertThat(AuditPublicKeys.verify(pair.getPublic(), message, fromRaw.sign(message))).isTrue();
  }

  @Test
  void shouldReadARawPublicKey() throws Exception {
    byte[] x509 = pair.getPublic().getEncoded();
    Path raw = Files.write(dir.resolve("k.pub"), Arrays.copyOfRange(x509, 12, x509.length));

    assertThat(Ed25519Keys.keyId(Ed25519Keys.readPublic(raw)))
        .isEqualTo(Ed25519Keys.keyId(pair.getPublic()));
  }

  @Test
  void shouldRefuseAFileThatHoldsNoKeyAndSayWhatToDo() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.txt"), "not a key at all");

    assertThatThrownBy(() -> Ed25519Keys.readPrivate(junk))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("junk.txt")
        .hasMessageContaining("expertflow audit keygen");
    assertThatThrownBy(() -> Ed25519Keys.readPublic(junk))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("junk.txt");
    assertThatThrownBy(() -> Ed25519Keys.parsePrivate("%%%", "EXPERTFLOW_AUDIT_SIGNING_KEY"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EXPERTFLOW_AUDIT_SIGNING_KEY")
        .hasMessageNotContaining("%%%");
  }

  @Test
  void shouldNeverShowTheKeyInItsText() {
    AuditSigningKey key = Ed25519Keys.parsePrivate(Ed25519Keys.privatePem(pair.getPrivate()), "t");

    assertThat(key.toString()).isEqualTo("Ed25519 audit signing key " + key.keyId());
  }
}
