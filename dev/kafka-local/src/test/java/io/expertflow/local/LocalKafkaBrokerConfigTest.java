package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalKafkaBrokerConfigTest {

  @Test
  void shouldDefaultToFreePortsATempFolderAndTheSmallHeapJvmFlags() {
    LocalKafkaBrokerConfig config = LocalKafkaBrokerConfig.defaults();

    assertThat(config.clientPort()).isZero();
    assertThat(config.controllerPort()).isZero();
    assertThat(config.workDir()).isEmpty();
    assertThat(config.jvmOptions())
        .contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m");
    assertThat(config.classpath()).isEqualTo(System.getProperty("java.class.path"));
  }

  @Test
  void shouldRejectAPortOutOfRangeNamingTheSetting() {
    assertThatThrownBy(() -> LocalKafkaBrokerConfig.builder().controllerPort(70_000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("controllerPort")
        .hasMessageContaining("70000");
  }

  @Test
  void shouldRejectTheSamePortForBothListeners() {
    assertThatThrownBy(
            () -> LocalKafkaBrokerConfig.builder().clientPort(9092).controllerPort(9092).build())
        .hasMessageContaining("must differ");
  }

  @Test
  void shouldRejectANonPositiveReadyTimeout() {
    assertThatThrownBy(() -> LocalKafkaBrokerConfig.builder().readyTimeout(Duration.ZERO).build())
        .hasMessageContaining("readyTimeout must be positive");
  }
}
