package io.expertflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.updater.UpdaterSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/CONFIGURATION.md must list every updater setting with its default and variable. */
class UpdaterConfigurationDocTest {

  @Test
  void shouldDocumentEveryUpdaterSettingWithItsEnvironmentVariable() throws IOException {
    String doc = Files.readString(Path.of("../docs/CONFIGURATION.md"));
    for (UpdaterSettings.Setting s : UpdaterSettings.SETTINGS) {
      String env = "EXPERTFLOW_" + s.key().toUpperCase(Locale.ROOT).replace('.', '_');
      assertThat(doc)
          .as("docs/CONFIGURATION.md row of %s", s.key())
          .contains("| `" + s.key() + "` | `" + env + "` | `" + s.defaultValue() + "` |");
    }
  }
}
