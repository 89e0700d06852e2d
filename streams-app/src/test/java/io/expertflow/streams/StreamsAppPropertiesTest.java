package io.expertflow.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.avro.ComplianceDecision;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamsAppPropertiesTest {

  @Test
  void shouldKeepDefaultsForAbsentKeys() {
    StreamsAppConfig config = StreamsAppProperties.toConfig(Map.of());

    assertThat(config.bootstrapServers()).isEqualTo(StreamsAppConfig.DEFAULT_BOOTSTRAP_SERVERS);
    assertThat(config.topics().prefix()).isEqualTo("expertflow.");
    assertThat(config.topologies())
        .as("every topology but memory, which memory.enabled adds")
        .containsExactlyInAnyOrderElementsOf(
            java.util.EnumSet.complementOf(java.util.EnumSet.of(AppTopology.MEMORY)));
    assertThat(config.memory().enabled()).isFalse();
    assertThat(
            StreamsAppProperties.toConfig(Map.of("topologies", "intake", "memory.enabled", "true"))
                .topologies())
        .containsExactlyInAnyOrder(AppTopology.INTAKE, AppTopology.MEMORY);
    assertThat(config.stats().windowSize()).isEqualTo(Duration.ofDays(7));
    assertThat(config.intake().dedupWindow()).isEqualTo(Duration.ofHours(24));
    assertThat(config.rulesFile()).isEmpty();
    assertThat(config.httpPort()).isEqualTo(8090);
  }

  @Test
  void shouldMapEveryKeyOntoTheTypedConfig() {
    StreamsAppConfig config =
        StreamsAppProperties.toConfig(
            Map.ofEntries(
                Map.entry("bootstrap.servers", "k:9092"),
                Map.entry("topic.prefix", ""),
                Map.entry("topologies", "intake, status"),
                Map.entry("intake.allowed.tenants", "acme,globex"),
                Map.entry("intake.max.text.bytes", "1000"),
                Map.entry("intake.dedup.window", "PT2H"),
                Map.entry("compliance.rules.file", "rules.yaml"),
                Map.entry("compliance.default.decision", "approved"),
                Map.entry("feedback.match.timeout", "60000"),
                Map.entry("stats.window.size", "P1D"),
                Map.entry("stats.grace", "1m"),
                Map.entry("http.port", "0"),
                Map.entry("streams.replication.factor", "3")));

    assertThat(config.bootstrapServers()).isEqualTo("k:9092");
    assertThat(config.topics().requests()).isEqualTo("requests");
    assertThat(config.topologies())
        .containsExactlyInAnyOrder(AppTopology.INTAKE, AppTopology.STATUS);
    assertThat(config.intake().allowedTenants()).isEqualTo(Set.of("acme", "globex"));
    assertThat(config.intake().maxTextBytes()).isEqualTo(1000);
    assertThat(config.intake().dedupWindow()).isEqualTo(Duration.ofHours(2));
    assertThat(config.rulesFile()).contains(Path.of("rules.yaml"));
    assertThat(config.defaultDecision()).isEqualTo(ComplianceDecision.APPROVED);
    assertThat(config.feedback().matchTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.stats().windowSize()).isEqualTo(Duration.ofDays(1));
    assertThat(config.stats().grace()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.httpPort()).isZero();
    assertThat(config.streamsOverrides()).containsEntry("replication.factor", "3");
  }

  @Test
  void shouldNameTheKeyAndValueThatAreInvalid() {
    assertThatThrownBy(() -> StreamsAppProperties.toConfig(Map.of("stats.grace", "a week")))
        .hasMessageContaining("stats.grace='a week'");
    assertThatThrownBy(() -> StreamsAppProperties.toConfig(Map.of("topologies", "intake,ui")))
        .hasMessageContaining("unknown topology 'ui'");
    assertThatThrownBy(() -> StreamsAppProperties.toConfig(Map.of("intake.dedup.window", "1000")))
        .hasMessageContaining("dedup window must be at least");
    assertThatThrownBy(() -> StreamsAppProperties.toConfig(Map.of("http.enabled", "yes")))
        .hasMessageContaining("http.enabled='yes'")
        .hasMessageContaining("true or false");
    assertThatThrownBy(() -> StreamsAppProperties.toConfig(Map.of("stats.window", "7d")))
        .hasMessageContaining("did you mean stats.window.size?");
  }

  @Test
  void shouldJoinAsAStaticMemberNamedByTheInstanceIdOnlyWhenAsked() {
    StreamsAppConfig dynamic = StreamsAppProperties.toConfig(Map.of("instance.id", "streams-0"));
    StreamsAppConfig fixed =
        StreamsAppProperties.toConfig(
            Map.of("instance.id", "streams-0", "static.membership", "true"));
    String key = "main.consumer.group.instance.id";

    java.util.Properties off =
        StreamsProperties.of(
            dynamic,
            AppTopology.INTAKE,
            new io.expertflow.schemas.registry.InMemorySchemaRegistryClient(),
            java.util.Optional.empty());
    java.util.Properties on =
        StreamsProperties.of(
            fixed,
            AppTopology.INTAKE,
            new io.expertflow.schemas.registry.InMemorySchemaRegistryClient(),
            java.util.Optional.empty());

    assertThat(off).doesNotContainKey(key);
    assertThat(on).containsEntry(key, "streams-0");
    assertThat(new org.apache.kafka.streams.StreamsConfig(on).getMainConsumerConfigs("g", "c", 1))
        .as("Kafka Streams names each stream thread's member after it")
        .containsEntry("group.instance.id", "streams-0-1");
  }
}
