package io.expertflow.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EngineConfigTest {

  @Test
  void shouldUseEveryProcessorTheJvmMayUseWhenIntraOpThreadsAreZero() {
    EngineConfig automatic = EngineConfig.defaults();

    assertThat(automatic.intraOpThreads()).isZero();
    assertThat(automatic.effectiveIntraOpThreads())
        .isEqualTo(Runtime.getRuntime().availableProcessors())
        .isPositive();
  }

  @Test
  void shouldKeepAnExplicitThreadCount() {
    assertThat(EngineConfig.defaults().withIntraOpThreads(3).effectiveIntraOpThreads())
        .isEqualTo(3);
    assertThatThrownBy(() -> EngineConfig.defaults().withIntraOpThreads(-1))
        .hasMessageContaining("intraOpThreads");
  }
}
