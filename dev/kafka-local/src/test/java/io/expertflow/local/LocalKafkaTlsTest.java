package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaTlsTest {
  @TempDir static Path shared;
  @TempDir Path dir;
  private static LocalKafkaTls tls;

  @BeforeAll
  static void makeTheFiles() {
    tls = LocalKafkaTls.create(shared.resolve("tls"), Set.of("alice"));
  }

  @Test
  void shouldMakeAUserCertificateSignedByTheAuthorityThatClientSettingsOpen() throws Exception {
    Map<String, String> client = tls.clientProperties("alice");

    KeyStore store = load(Path.of(client.get("ssl.keystore.location")), client);
    Certificate[] chain = store.getCertificateChain("alice");
    X509Certificate own = (X509Certificate) chain[0];
    X509Certificate authority =
        (X509Certificate)
            load(Path.of(client.get("ssl.truststore.location")), client).getCertificate("ca");

    assertThat(client).containsEntry("security.protocol", "SSL");
    assertThat(own.getSubjectX500Principal().getName()).isEqualTo("CN=alice");
    assertThat(own.getIssuerX500Principal()).isEqualTo(authority.getSubjectX500Principal());
    own.verify(authority.getPublicKey()); // throws unless the authority signed it
    assertThat(store.getKey("alice", client.get("ssl.key.password").toCharArray())).isNotNull();
    assertThat(Files.getPosixFilePermissions(shared.resolve("tls")))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void shouldGiveTheNodeACertificateForTheLoopbackAddressAndDemandClientCertificates()
      throws Exception {
    Map<String, String> listener = tls.listenerProperties("SSL");

    assertThat(listener)
        .containsEntry("listener.name.ssl.ssl.client.auth", "required")
        .containsEntry("ssl.principal.mapping.rules", LocalKafkaTls.PRINCIPAL_MAPPING);
    KeyStore store =
        load(
            Path.of(listener.get("listener.name.ssl.ssl.keystore.location")),
            Map.of(
                "ssl.keystore.password", listener.get("listener.name.ssl.ssl.keystore.password")));
    X509Certificate node = (X509Certificate) store.getCertificate("kafka-node");
    assertThat(node.getSubjectAlternativeNames())
        .extracting(name -> String.valueOf(name.get(1)))
        .contains("127.0.0.1", "localhost");
  }

  @Test
  void shouldRefuseAUserNameThatIsNotAPlainName() {
    assertThatThrownBy(() -> LocalKafkaTls.create(dir, Set.of("CN=admin,O=x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CN=admin,O=x");
    assertThatThrownBy(() -> LocalKafkaTls.create(dir, Set.of("ca")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRefuseClientSettingsOfAUserWithoutACertificate() {
    assertThatThrownBy(() -> tls.clientProperties("bob"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("No certificate for user bob.");
    assertThat(List.copyOf(tls.users())).containsExactly("alice");
  }

  private static KeyStore load(Path file, Map<String, String> client) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, client.get("ssl.keystore.password").toCharArray());
    }
    return store;
  }
}
