package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class VersionIdsTest {

  /**
   * The default settings hash as they did before DP and the targeted back-off existed: a new
   * setting of {@link UpdateConfig} that shows up here would give every update a new version id,
   * and a restarted updater would no longer recognise the work it published. Leave it out where it
   * keeps its default, as {@link VersionIds#settings} does for DP and the targeted back-off.
   */
  @Test
  void shouldHashTheDefaultSettingsAsBeforeTheSettingsAddedSince() {
    assertThat(VersionIds.settings(UpdateConfig.defaults()))
        .isEqualTo(
            "UpdateConfig[epochs=40, batchSize=32, learningRate=0.005, feedbackWeight=1.0,"
                + " holdoutShare=0.5, minHoldoutGain=0.0, maxGuardDrop=0.005, routingWeight=3.0,"
                + " routingPullWeight=0.3, routingMargin=0.1, routingAnchorsPerStep=256, seed=42,"
                + " sharedRows=true]");
    assertThat(VersionIds.settings(UpdateConfig.defaults().withTargetedBackoff(true)))
        .endsWith("sharedRows=true, targetedBackoff=true]");
  }

  @Test
  void shouldDeriveTheSameIdFromTheSameInputsAndAnotherFromAnyOther() {
    Instant start = Instant.parse("2026-11-26T00:00:00Z");
    byte[] content = {1, 2, 3};

    String id = VersionIds.derive("expertflow-demo", "1", start, content);

    assertThat(id)
        .matches("u20261126-[0-9a-f]{12}")
        .isEqualTo(VersionIds.derive("expertflow-demo", "1", start, new byte[] {1, 2, 3}));
    assertThat(VersionIds.derive("expertflow-demo", "2", start, content)).isNotEqualTo(id);
    assertThat(VersionIds.derive("expertflow-demo", "1", start.plusMillis(1), content))
        .isNotEqualTo(id);
    assertThat(VersionIds.derive("expertflow-demo", "1", start, new byte[] {1, 2, 4}))
        .isNotEqualTo(id);
    // length-prefixed strings: moving a character from the name to the parent changes the id
    assertThat(VersionIds.derive("expertflow-dem", "o1", start, content)).isNotEqualTo(id);
  }
}
