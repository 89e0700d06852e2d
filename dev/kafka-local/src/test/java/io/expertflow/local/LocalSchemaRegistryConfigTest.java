package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalSchemaRegistryConfigTest {

  @Test
  void shouldDefaultToBackwardCompatibilityOnAFreePort() {
    LocalSchemaRegistryConfig config = LocalSchemaRegistryConfig.builder().build();

    assertThat(config.compatibility()).isEqualTo("BACKWARD");
    assertThat(config.port()).isZero();
    assertThat(config.appJar()).isEmpty();
    assertThat(config.workDir()).isEmpty();
    assertThat(config.maxHeap()).isEqualTo("256m");
  }

  @Test
  void shouldRejectAnUnknownCompatibilityLevel() {
    assertThatThrownBy(() -> LocalSchemaRegistryConfig.builder().compatibility("backward").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'backward'")
        .hasMessageContaining("FULL_TRANSITIVE");
  }

  @Test
  void shouldRejectAPortOutOfRange() {
    assertThatThrownBy(() -> LocalSchemaRegistryConfig.builder().port(70_000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("70000");
  }

  @Test
  void shouldRejectANonPositiveStartTimeout() {
    assertThatThrownBy(
            () -> LocalSchemaRegistryConfig.builder().startTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("startTimeout");
  }

  @Test
  void shouldRejectAHeapSizeThatIsNotAnXmxValue() {
    assertThatThrownBy(() -> LocalSchemaRegistryConfig.builder().maxHeap("256 MB").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'256 MB'");
  }
}
