package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class UpdateConfigTest {
  private final UpdateConfig defaults = UpdateConfig.defaults();

  @Test
  void shouldChangeOnlyTheComponentEachCopyNames() {
    assertOnly(defaults.withEpochs(7), UpdateConfig::epochs, 7);
    assertOnly(defaults.withLearningRate(0.125), UpdateConfig::learningRate, 0.125);
    assertOnly(defaults.withFeedbackWeight(2.5), UpdateConfig::feedbackWeight, 2.5);
    assertOnly(defaults.withMaxGuardDrop(0.25), UpdateConfig::maxGuardDrop, 0.25);
    assertOnly(defaults.withRoutingWeight(0.75), UpdateConfig::routingWeight, 0.75);
    assertOnly(defaults.withRoutingPullWeight(0.875), UpdateConfig::routingPullWeight, 0.875);
    assertOnly(defaults.withRoutingMargin(0.625), UpdateConfig::routingMargin, 0.625);
    assertOnly(defaults.withRoutingAnchorsPerStep(9), UpdateConfig::routingAnchorsPerStep, 9);
    assertOnly(defaults.withSeed(11L), UpdateConfig::seed, 11L);
    assertOnly(defaults.withSharedRows(false), UpdateConfig::sharedRows, false);
    DpConfig dp = new DpConfig(true, 1.1, 1.0, 0.1, 1e-5, 8.0, 1, 3L);
    assertOnly(defaults.withDp(dp), UpdateConfig::dp, dp);
  }

  @Test
  void shouldValidateACopyAsAnyConfig() {
    assertThatThrownBy(() -> defaults.withEpochs(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("epochs must be > 0");
    assertThatThrownBy(() -> defaults.withMaxGuardDrop(1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxGuardDrop must be in [0, 1)");
    assertThatThrownBy(() -> defaults.withRoutingWeight(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("routingWeight must be >= 0");
  }

  /** Every component of a config, by its accessor. */
  private static final List<Function<UpdateConfig, ?>> COMPONENTS =
      List.of(
          UpdateConfig::epochs,
          UpdateConfig::batchSize,
          UpdateConfig::learningRate,
          UpdateConfig::feedbackWeight,
          UpdateConfig::holdoutShare,
          UpdateConfig::minHoldoutGain,
          UpdateConfig::maxGuardDrop,
          UpdateConfig::routingWeight,
          UpdateConfig::routingPullWeight,
          UpdateConfig::routingMargin,
          UpdateConfig::routingAnchorsPerStep,
          UpdateConfig::seed,
          UpdateConfig::sharedRows,
          UpdateConfig::dp);

  /** {@code copy} holds {@code value} where {@code component} reads and the defaults elsewhere. */
  private <T> void assertOnly(UpdateConfig copy, Function<UpdateConfig, T> component, T value) {
    assertThat(component.apply(copy)).isEqualTo(value);
    assertThat(component.apply(defaults)).isNotEqualTo(value);
    long changed =
        COMPONENTS.stream().filter(c -> !c.apply(copy).equals(c.apply(defaults))).count();
    assertThat(changed).as("components that differ from the defaults").isEqualTo(1);
  }
}
