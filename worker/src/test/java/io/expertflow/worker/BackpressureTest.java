package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackpressureTest {
  private final List<String> events = new ArrayList<>();
  private final Backpressure backpressure =
      new Backpressure(
          10,
          new WorkerListener() {
            @Override
            public void paused(int inFlight) {
              events.add("paused at " + inFlight);
            }

            @Override
            public void resumed(int inFlight) {
              events.add("resumed at " + inFlight);
            }
          });

  @Test
  void shouldPauseAtTheBoundAndResumeOnlyBelowHalfOfIt() {
    assertThat(backpressure.update(9)).isFalse();
    assertThat(backpressure.update(10)).isTrue();
    assertThat(backpressure.update(6)).as("still above half").isTrue();
    assertThat(backpressure.update(5)).isFalse();
    assertThat(backpressure.update(9)).isFalse();

    assertThat(events).containsExactly("paused at 10", "resumed at 5");
  }
}
