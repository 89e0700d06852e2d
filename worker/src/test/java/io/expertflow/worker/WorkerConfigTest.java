package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;

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
}
