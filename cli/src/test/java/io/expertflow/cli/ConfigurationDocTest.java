package io.expertflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.worker.WorkerConfig;
import io.expertflow.worker.WorkerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/CONFIGURATION.md must list every worker setting with its default and variable. */
class ConfigurationDocTest {

  @Test
  void shouldDocumentEveryWorkerSettingWithItsEnvironmentVariable() throws IOException {
    String doc = Files.readString(Path.of("../docs/CONFIGURATION.md"));
    for (WorkerConfig.Setting s : WorkerSettings.all()) {
      String env = "EXPERTFLOW_" + s.key().toUpperCase(Locale.ROOT).replace('.', '_');
      assertThat(doc)
          .as("docs/CONFIGURATION.md row of %s", s.key())
          .contains("| `" + s.key() + "` | `" + env + "` | `" + s.defaultValue() + "` |");
    }
  }

  @Test
  void shouldParseTheDocumentedDefaults() {
    WorkerSettings settings = WorkerSettings.fromProperties(java.util.Map.of());

    assertThat(settings.worker().maxInFlight()).isEqualTo(WorkerConfig.DEFAULT_MAX_IN_FLIGHT);
    assertThat(settings.pipeline().encoderBatching().maxBatchSize()).isEqualTo(32);
    assertThat(settings.chunking().maxTokensPerChunk()).isEqualTo(128);
  }

  @Test
  void shouldRejectAnUnknownDeliveryModeNamingTheValue() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> WorkerSettings.fromProperties(java.util.Map.of("delivery.mode", "twice")))
        .hasMessageContaining("'twice'")
        .hasMessageContaining("exactly_once");
  }
}
