package io.expertflow.schemas.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

  @Test
  void shouldReadUnitsPlainMillisecondsAndIso8601() {
    assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationText.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(DurationText.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(DurationText.parse("1500")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationText.parse("PT24H")).isEqualTo(Duration.ofHours(24));
    assertThat(DurationText.parse("p7d")).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void shouldFormatTheShortestExactSpellingThatParsesBack() {
    for (Duration d :
        new Duration[] {
          Duration.ofMillis(5), Duration.ofMillis(1500), Duration.ofSeconds(30), Duration.ofDays(7)
        }) {
      assertThat(DurationText.parse(DurationText.format(d))).isEqualTo(d);
    }
    assertThat(DurationText.format(Duration.ofHours(24))).isEqualTo("1d");
    assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0ms");
  }

  @Test
  void shouldRefuseTextThatIsNoDurationSayingWhatIsAccepted() {
    assertThatThrownBy(() -> DurationText.parse("a week"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a week'")
        .hasMessageContaining("30s");
    assertThatThrownBy(() -> DurationText.parse("-5s")).hasMessageContaining("'-5s'");
  }
}
