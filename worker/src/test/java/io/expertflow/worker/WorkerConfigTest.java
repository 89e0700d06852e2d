package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

  @Test
  void shouldJoinAsAStaticMemberUnlessTurnedOff() {
    assertThat(WorkerConfig.fromProperties(Map.of("worker.id", "w-1")).staticMembership()).isTrue();
    assertThat(
            WorkerConfig.fromProperties(Map.of("worker.id", "w-1", "static.membership", "false"))
                .staticMembership())
        .isFalse();
  }

  @Test
  void shouldRefuseAMisspelledBooleanInsteadOfReadingItAsFalse() {
    assertThatThrownBy(() -> WorkerConfig.fromProperties(Map.of("static.membership", "flase")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("static.membership='flase'");
  }

  @Test
  void shouldRefuseAnUnknownKeyNamingTheClosestOne() {
    assertThatThrownBy(() -> WorkerConfig.fromProperties(Map.of("max.inflight", "10")))
        .hasMessageContaining("'max.inflight'")
        .hasMessageContaining("did you mean max.in.flight?");
  }

  @Test
  void shouldPassKafkaKeysToTheClientsWithoutThePrefix() {
    WorkerConfig config =
        WorkerConfig.fromProperties(Map.of("kafka.security.protocol", "SASL_SSL"));

    assertThat(config.kafkaOverrides()).containsEntry("security.protocol", "SASL_SSL");
  }

  @Test
  void shouldReadTheSameDurationSyntaxAsEveryApp() {
    WorkerConfig config =
        WorkerConfig.fromProperties(Map.of("drain.timeout.ms", "5s", "commit.interval.ms", "250"));

    assertThat(config.drainTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(config.commitInterval()).isEqualTo(java.time.Duration.ofMillis(250));
  }
}
