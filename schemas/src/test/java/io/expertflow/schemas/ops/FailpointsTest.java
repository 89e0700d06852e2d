package io.expertflow.schemas.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailpointsTest {
  @Test
  void shouldParseKnownPointsWithTheirPauses() {
    Map<String, Duration> armed =
        Failpoints.parse(
            "versions.publish.after-tensors=pause:PT10M, versions.publish.after-history=pause:PT2S");

    assertThat(armed)
        .containsEntry("versions.publish.after-tensors", Duration.ofMinutes(10))
        .containsEntry("versions.publish.after-history", Duration.ofSeconds(2))
        .hasSize(2);
  }

  @Test
  void shouldRefuseAnUnknownPointNamingTheKnownOnes() {
    assertThatThrownBy(() -> Failpoints.parse("versions.publish.after-tensor=pause:PT1S"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown failpoint 'versions.publish.after-tensor'")
        .hasMessageContaining("versions.publish.after-history");
  }

  @Test
  void shouldRefuseAnActionOtherThanAPositivePause() {
    assertThatThrownBy(() -> Failpoints.parse("versions.publish.after-tensors=exit"))
        .hasMessageContaining("must read versions.publish.after-tensors=pause:DURATION");
    assertThatThrownBy(() -> Failpoints.parse("versions.publish.after-tensors=pause:10s"))
        .hasMessageContaining("not an ISO-8601 duration");
    assertThatThrownBy(() -> Failpoints.parse("versions.publish.after-tensors=pause:PT0S"))
        .hasMessageContaining("positive pause");
  }

  @Test
  void shouldPassThroughAPointThatIsNotArmed() {
    // nothing arms failpoints in the test JVM: reaching one returns at once
    assertThat(Failpoints.armed()).isEmpty();
    long began = System.nanoTime();
    Failpoints.reach("versions.publish.after-tensors");
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(1));
  }
}
