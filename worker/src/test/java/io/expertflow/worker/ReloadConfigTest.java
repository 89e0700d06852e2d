package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReloadConfigTest {

  @Test
  void shouldFollowVersionsByDefault() {
    WorkerConfig config = WorkerConfig.fromProperties(Map.of());

    assertThat(config.reload()).isEqualTo(ReloadConfig.defaults());
    assertThat(config.reload().enabled()).isTrue();
    assertThat(config.reload().catchUpTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void shouldReadEveryReloadKeyFromTheWorkerProperties() {
    WorkerConfig config =
        WorkerConfig.fromProperties(
            Map.of(
                "reload.enabled", "FALSE",
                "reload.catch.up.timeout.ms", "1500",
                "reload.poll.timeout.ms", "50",
                "topic.prefix", "acme."));

    assertThat(config.reload().enabled()).isFalse();
    assertThat(config.reload().catchUpTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.reload().follower(config.topicPrefix()).pollTimeout())
        .isEqualTo(Duration.ofMillis(50));
    assertThat(config.reload().follower(config.topicPrefix()).topics().modelVersions())
        .isEqualTo("acme.model-versions");
  }

  @Test
  void shouldRejectAValueThatIsNotABooleanNamingIt() {
    assertThatThrownBy(() -> ReloadConfig.fromProperties(Map.of("reload.enabled", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reload.enabled")
        .hasMessageContaining("'yes'");
  }

  @Test
  void shouldRejectANonPositiveCatchUpTimeout() {
    assertThatThrownBy(() -> ReloadConfig.fromProperties(Map.of("reload.catch.up.timeout.ms", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reload.catch.up.timeout.ms='0'");
  }

  @Test
  void shouldListTheReloadKeysAmongTheWorkerSettings() {
    assertThat(WorkerKeys.TABLE.keys())
        .extracting(k -> k.name())
        .contains("reload.enabled", "reload.catch.up.timeout.ms", "reload.poll.timeout.ms");
  }

  @Test
  void shouldReadDurationsWithUnits() {
    ReloadConfig config = ReloadConfig.fromProperties(Map.of("reload.catch.up.timeout.ms", "2m"));

    assertThat(config.catchUpTimeout()).isEqualTo(Duration.ofMinutes(2));
  }
}
