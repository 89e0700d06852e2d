package io.expertflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.schemas.settings.SettingKey;
import io.expertflow.schemas.settings.SettingTable;
import io.expertflow.schemas.settings.SettingsDoc;
import io.expertflow.streams.StreamsAppProperties;
import io.expertflow.updater.UpdaterKeys;
import io.expertflow.worker.WorkerKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/CONFIGURATION.md holds each app's settings table, generated from its key table between the
 * markers {@code <!-- settings:APP -->} and {@code <!-- /settings:APP -->}. Run with {@code
 * -Dexpertflow.docs.regenerate=true} to rewrite the tables after changing a key.
 */
class ConfigurationDocTest {
  static final Path DOC = Path.of("../docs/CONFIGURATION.md");
  static final Pattern KEY_ROW = Pattern.compile("(?m)^\\| `([a-z0-9.]+)` \\|");

  static List<SettingTable> tables() {
    return List.of(WorkerKeys.TABLE, UpdaterKeys.TABLE, StreamsAppProperties.TABLE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void shouldDocumentExactlyTheKeysOfEachApp(SettingTable table) throws IOException {
    if (Boolean.getBoolean("expertflow.docs.regenerate")) {
      Files.writeString(DOC, regenerated(Files.readString(DOC), table));
    }
    String section = section(Files.readString(DOC), table.app());

    List<String> documented = new ArrayList<>();
    Matcher m = KEY_ROW.matcher(section);
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertThat(documented)
        .as("keys in the %s table of docs/CONFIGURATION.md", table.app())
        .containsExactlyElementsOf(table.keys().stream().map(SettingKey::name).toList());
    assertThat(section)
        .as("the %s table of docs/CONFIGURATION.md (regenerate it, see the Javadoc)", table.app())
        .isEqualTo("\n" + SettingsDoc.table(table));
  }

  private static String section(String doc, String app) {
    int start = doc.indexOf(begin(app));
    int end = doc.indexOf(end(app));
    assertThat(start).as("marker %s in docs/CONFIGURATION.md", begin(app)).isNotNegative();
    assertThat(end).as("marker %s in docs/CONFIGURATION.md", end(app)).isGreaterThan(start);
    return doc.substring(start + begin(app).length(), end);
  }

  private static String regenerated(String doc, SettingTable table) {
    int start = doc.indexOf(begin(table.app())) + begin(table.app()).length();
    int end = doc.indexOf(end(table.app()));
    return doc.substring(0, start) + "\n" + SettingsDoc.table(table) + doc.substring(end);
  }

  private static String begin(String app) {
    return "<!-- settings:" + app + " -->";
  }

  private static String end(String app) {
    return "<!-- /settings:" + app + " -->";
  }
}
