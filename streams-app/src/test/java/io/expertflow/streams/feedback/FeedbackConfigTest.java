package io.expertflow.streams.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.operators.moe.LabelNames;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FeedbackConfigTest {

  @Test
  void shouldRefuseALabelLengthNoModelsLabelCouldHave() {
    Duration hour = Duration.ofHours(1);

    assertThat(new FeedbackConfig(hour, hour, LabelNames.MAX_LENGTH).maxLabelLength())
        .isEqualTo(FeedbackConfig.defaults().maxLabelLength());
    assertThatThrownBy(() -> new FeedbackConfig(hour, hour, LabelNames.MAX_LENGTH + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 200")
        .hasMessageContaining("was 201");
    assertThatThrownBy(() -> new FeedbackConfig(hour, hour, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
  }
}
