package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalKafkaSaslTest {

  private final LocalKafkaSasl sasl =
      LocalKafkaSasl.of("admin", "admin-secret", Map.of("expertflow-worker", "worker-secret"));

  @Test
  void shouldReplaceThePlaintextListenersAndTurnTheAuthorizerOn() {
    Map<String, String> properties =
        KafkaNodeProperties.of(
            9092,
            9093,
            Path.of("data"),
            sasl.brokerProperties(KafkaNodeProperties.HOST, 9092, 9093));

    assertThat(properties)
        .containsEntry("listeners", "SASL_PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
        .containsEntry("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:9092")
        .containsEntry(
            "listener.security.protocol.map",
            "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT")
        .containsEntry("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN")
        .containsEntry(
            "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        .containsEntry("super.users", "User:admin")
        .containsEntry("allow.everyone.if.no.acl.found", "false");
    assertThat(properties.get("listener.name.sasl_plaintext.plain.sasl.jaas.config"))
        .contains("user_admin=\"admin-secret\"", "user_expertflow-worker=\"worker-secret\"");
    assertThat(properties.get("listener.name.controller.plain.sasl.jaas.config"))
        .doesNotContain("expertflow-worker");
  }

  @Test
  void shouldGiveEveryUserAScramCredentialAndClientSettings() {
    assertThat(sasl.scramCredentials())
        .containsExactly(
            "SCRAM-SHA-512=[name=admin,password=admin-secret]",
            "SCRAM-SHA-512=[name=expertflow-worker,password=worker-secret]");
    assertThat(sasl.clientProperties("expertflow-worker"))
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(sasl.clientProperties("expertflow-worker").get("sasl.jaas.config"))
        .contains("username=\"expertflow-worker\" password=\"worker-secret\"");
  }

  @Test
  void shouldRefuseUnknownUsersAndPasswordsThatBreakTheJaasLine() {
    assertThatThrownBy(() -> sasl.clientProperties("stranger")).hasMessageContaining("stranger");
    assertThatThrownBy(() -> LocalKafkaSasl.of("admin", "a\"b", Map.of()))
        .hasMessageContaining("password of admin");
    assertThatThrownBy(() -> LocalKafkaSasl.of("admin", "x", Map.of("admin", "y")))
        .hasMessageContaining("super user");
  }
}
