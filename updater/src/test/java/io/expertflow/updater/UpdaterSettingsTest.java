package io.expertflow.updater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.operators.update.UpdateScope;
import io.expertflow.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdaterSettingsTest {

  @Test
  void shouldGiveTheDefaultConfigWithoutAnySetting() {
    UpdaterConfig config = UpdaterSettings.fromProperties(Map.of("topic.prefix", "acme."));

    assertThat(config).isEqualTo(UpdaterConfig.defaults().withTopics(new TopicNames("acme.")));
  }

  @Test
  void shouldReadEveryKnobFromItsKey() {
    Map<String, String> p =
        Map.ofEntries(
            Map.entry("updater.settle.ms", "300"),
            Map.entry("updater.max.wait.ms", "9s"),
            Map.entry("updater.poll.timeout.ms", "50"),
            Map.entry("selection.min.feedback", "3"),
            Map.entry("selection.min.negative.rate", "0.1"),
            Map.entry("selection.parameter.budget.share", "0.05"),
            Map.entry("selection.scope", "whole_expert"),
            Map.entry("update.epochs", "7"),
            Map.entry("update.batch.size", "16"),
            Map.entry("update.learning.rate", "0.01"),
            Map.entry("update.feedback.weight", "2"),
            Map.entry("update.holdout.share", "0.3"),
            Map.entry("update.min.holdout.gain", "0.02"),
            Map.entry("update.max.guard.drop", "0.01"),
            Map.entry("update.seed", "9"));

    UpdaterConfig c = UpdaterSettings.fromProperties(p);

    assertThat(c.settle()).isEqualTo(Duration.ofMillis(300));
    assertThat(c.maxWait()).isEqualTo(Duration.ofSeconds(9));
    assertThat(c.pollTimeout()).isEqualTo(Duration.ofMillis(50));
    assertThat(c.selection().minFeedback()).isEqualTo(3);
    assertThat(c.selection().minNegativeRate()).isEqualTo(0.1);
    assertThat(c.selection().parameterBudgetShare()).isEqualTo(0.05);
    assertThat(c.selection().scope()).isEqualTo(UpdateScope.WHOLE_EXPERT);
    assertThat(c.update().epochs()).isEqualTo(7);
    assertThat(c.update().batchSize()).isEqualTo(16);
    assertThat(c.update().learningRate()).isEqualTo(0.01);
    assertThat(c.update().feedbackWeight()).isEqualTo(2.0);
    assertThat(c.update().holdoutShare()).isEqualTo(0.3);
    assertThat(c.update().minHoldoutGain()).isEqualTo(0.02);
    assertThat(c.update().maxGuardDrop()).isEqualTo(0.01);
    assertThat(c.update().seed()).isEqualTo(9);
    assertThat(UpdaterKeys.TABLE.keys()).extracting(k -> k.name()).containsAll(p.keySet());
  }

  @Test
  void shouldNameTheKeyAndValueThatDoNotParse() {
    assertThatThrownBy(() -> UpdaterSettings.fromProperties(Map.of("update.epochs", "forty")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("update.epochs='forty'");
    assertThatThrownBy(
            () -> UpdaterSettings.fromProperties(Map.of("selection.scope", "everything")))
        .hasMessageContaining("selection.scope='everything'")
        .hasMessageContaining("whole_expert");
  }

  @Test
  void shouldPointAtTheSettingsWhenAValueIsOutOfRange() {
    assertThatThrownBy(() -> UpdaterSettings.fromProperties(Map.of("update.holdout.share", "1.5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holdoutShare must be in (0, 1)")
        .hasMessageContaining("update.*");
  }

  @Test
  void shouldReadThePrivateUpdateSettingsAndKeepThemOffByDefault() {
    assertThat(UpdaterSettings.fromProperties(Map.of()).update().dp().enabled()).isFalse();

    UpdaterConfig c =
        UpdaterSettings.fromProperties(
            Map.of(
                "update.dp.enabled", "true",
                "update.dp.noise.multiplier", "2.5",
                "update.dp.clip.norm", "0.5",
                "update.dp.sample.rate", "0.2",
                "update.dp.delta", "1e-6",
                "update.dp.max.epsilon", "8",
                "update.dp.max.samples.per.user", "3"));

    var dp = c.update().dp();
    assertThat(dp.enabled()).isTrue();
    assertThat(dp.noiseMultiplier()).isEqualTo(2.5);
    assertThat(dp.clipNorm()).isEqualTo(0.5);
    assertThat(dp.sampleRate()).isEqualTo(0.2);
    assertThat(dp.delta()).isEqualTo(1e-6);
    assertThat(dp.maxEpsilon()).isEqualTo(8);
    assertThat(dp.maxSamplesPerUser()).isEqualTo(3);
    // the service never runs on a known noise seed
    assertThat(dp.noiseSeed()).isNull();
  }

  @Test
  void shouldRefusePrivateUpdateSettingsWithoutAGuarantee() {
    assertThatThrownBy(
            () -> UpdaterSettings.fromProperties(Map.of("update.dp.noise.multiplier", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("update.dp.noise.multiplier")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> UpdaterSettings.fromProperties(Map.of("update.dp.delta", "0.1")))
        .hasMessageContaining("update.dp.delta");
    assertThatThrownBy(() -> UpdaterSettings.fromProperties(Map.of("update.dp.sample.rate", "1.5")))
        .hasMessageContaining("update.dp.sample.rate");
    assertThatThrownBy(
            () -> UpdaterSettings.fromProperties(Map.of("update.dp.max.samples.per.user", "0")))
        .hasMessageContaining("update.dp.max.samples.per.user");
  }
}
