package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.schemas.registry.SchemaRegistryConfig;
import io.expertflow.streams.StreamsApp;
import io.expertflow.streams.StreamsAppConfig;
import io.expertflow.streams.StreamsAppProperties;
import io.expertflow.worker.WorkerSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One {@code --command-config} file holds the Kafka clients' security settings (here mutual TLS)
 * and the registry's credentials; each service gets the first in its Kafka clients and the second
 * in its registry client, never the other way round.
 */
class ClientSecurityFileTest {

  private static final Map<String, String> MUTUAL_TLS =
      Map.of(
          "security.protocol", "SSL",
          "ssl.keystore.location", "/etc/expertflow/tls/client.p12",
          "ssl.keystore.type", "PKCS12",
          "ssl.keystore.password", "ks-secret",
          "ssl.key.password", "key-secret",
          "ssl.truststore.location", "/etc/expertflow/tls/ca.p12",
          "ssl.truststore.password", "ts-secret",
          "ssl.endpoint.identification.algorithm", "https");

  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void writeTheSecurityFile() throws Exception {
    StringBuilder text = new StringBuilder();
    MUTUAL_TLS.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    text.append("basic.auth.user.info=registry-user:registry-secret\n");
    file = Files.writeString(dir.resolve("client-security.properties"), text.toString());
  }

  @Test
  void shouldGiveTheCommandsKafkaClientsTheTlsSettingsAndTheRegistryItsCredentials() {
    ConnectionOptions connection = new ConnectionOptions();
    connection.commandConfig = file;
    connection.adopt("kafka:9093", "https://registry:8081");

    assertThat(connection.kafkaProperties())
        .containsAllEntriesOf(MUTUAL_TLS)
        .containsEntry("bootstrap.servers", "kafka:9093")
        .doesNotContainKey(SchemaRegistryConfig.BASIC_AUTH_USER_INFO);
    assertThat(SchemaRegistryConfig.fromProperties(connection.registryProperties()))
        .satisfies(
            registry -> {
              assertThat(registry.basicAuthUserInfo()).isEqualTo("registry-user:registry-secret");
              assertThat(registry.urls()).hasToString("[https://registry:8081]");
            });
  }

  @Test
  void shouldGiveTheWorkersKafkaClientsTheTlsSettings() {
    WorkerCommand command = new WorkerCommand();
    new CommandLine(command)
        .parseArgs("--bundle", dir.toString(), "--command-config", file.toString());
    command.settingSources.environment = Map.of();

    WorkerSettings settings = WorkerSettings.from(command.settings());

    assertThat(settings.worker().kafkaOverrides())
        .containsAllEntriesOf(MUTUAL_TLS)
        .doesNotContainKey(SchemaRegistryConfig.BASIC_AUTH_USER_INFO);
  }

  @Test
  void shouldGiveKafkaStreamsAndTheStreamsAppsOwnClientsTheTlsSettings() {
    StreamsCommand command = new StreamsCommand();
    new CommandLine(command).parseArgs("--command-config", file.toString(), "-b", "kafka:9093");
    command.settingSources.environment = Map.of();

    StreamsAppConfig config = StreamsAppProperties.toConfig(command.settings());

    assertThat(config.streamsOverrides())
        .containsAllEntriesOf(MUTUAL_TLS)
        .doesNotContainKey(SchemaRegistryConfig.BASIC_AUTH_USER_INFO);
    assertThat(StreamsApp.clientProperties(config)).containsAllEntriesOf(MUTUAL_TLS);
  }

  @Test
  void shouldReadAPasswordWithAccentsFromAUtf8FileAndFromAFileWrittenForKafkasOwnTools()
      throws Exception {
    String line =
        "security.protocol=SASL_SSL\nsasl.jaas.config=password=\"gr\u00fcn-\u00e9t\u00e9\";\n";
    ConnectionOptions utf8 = new ConnectionOptions();
    utf8.commandConfig =
        Files.write(dir.resolve("utf8.properties"), line.getBytes(StandardCharsets.UTF_8));
    utf8.adopt("kafka:9093", "https://registry:8081");
    ConnectionOptions latin1 = new ConnectionOptions();
    latin1.commandConfig =
        Files.write(dir.resolve("latin1.properties"), line.getBytes(StandardCharsets.ISO_8859_1));
    latin1.adopt("kafka:9093", "https://registry:8081");

    assertThat(utf8.kafkaProperties())
        .containsEntry("sasl.jaas.config", "password=\"gr\u00fcn-\u00e9t\u00e9\";");
    assertThat(latin1.kafkaProperties())
        .containsEntry("sasl.jaas.config", "password=\"gr\u00fcn-\u00e9t\u00e9\";");
  }
}
