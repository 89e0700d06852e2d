package io.expertflow.schemas.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsBinderTest {
  static final SettingKey<Integer> SIZE =
      SettingKey.of("batch.max.size", SettingType.INT, 32, "Chunks per batch.")
          .requiring(v -> v >= 1, "at least 1");
  static final SettingKey<Boolean> STATIC =
      SettingKey.of("static.membership", SettingType.BOOLEAN, true, "Static members.");
  static final SettingKey<Duration> DELAY =
      SettingKey.of("batch.max.delay.ms", SettingType.DURATION, Duration.ofMillis(5), "Delay.");
  static final SettingKey<String> PREFIX =
      SettingKey.of("topic.prefix", SettingType.STRING, "expertflow.", "Prefix.");
  static final SettingTable TABLE =
      SettingTable.of("worker", List.of(SIZE, STATIC, DELAY, PREFIX), "kafka.");

  @TempDir Path dir;

  @Test
  void shouldLetTheEnvironmentBeatTheFileAndTheCommandLineBeatBoth() throws IOException {
    Path file = dir.resolve("w.properties");
    Files.writeString(file, "batch.max.size=8\ntopic.prefix=file.\nbatch.max.delay.ms=7\n");

    SettingValues v =
        SettingsBinder.bind(
            TABLE,
            file,
            Map.of("EXPERTFLOW_BATCH_MAX_SIZE", "16", "EXPERTFLOW_BATCH_MAX_DELAY_MS", "2s"),
            mapOf("batch.max.delay.ms", "250ms", "topic.prefix", null));

    assertThat(v.get(SIZE)).isEqualTo(16);
    assertThat(v.get(DELAY)).isEqualTo(Duration.ofMillis(250));
    assertThat(v.get(PREFIX)).isEqualTo("file.");
    assertThat(v.get(STATIC)).isTrue();
    assertThat(v.given(STATIC)).isEmpty();
  }

  @Test
  void shouldRefuseAMisspelledBooleanNamingKeyAndValue() {
    assertThatThrownBy(
            () -> SettingsBinder.bind(TABLE, null, Map.of(), Map.of("static.membership", "flase")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("static.membership='flase'")
        .hasMessageContaining("true or false");
  }

  @Test
  void shouldRefuseABadNumberFromTheEnvironmentNamingTheSource() {
    assertThatThrownBy(
            () ->
                SettingsBinder.bind(
                    TABLE, null, Map.of("EXPERTFLOW_BATCH_MAX_SIZE", "lots"), Map.of()))
        .hasMessageContaining("batch.max.size='lots'")
        .hasMessageContaining("whole number");
  }

  @Test
  void shouldRefuseAValueThatBreaksTheKeysRule() {
    assertThatThrownBy(() -> SettingValues.of(TABLE, Map.of("batch.max.size", "0")))
        .hasMessageContaining("batch.max.size='0'")
        .hasMessageContaining("at least 1");
  }

  @Test
  void shouldRefuseAnUnknownKeySuggestingTheClosest() throws IOException {
    Path file = dir.resolve("typo.properties");
    Files.writeString(file, "batch.max.sise=8\n");

    assertThatThrownBy(() -> SettingsBinder.bind(TABLE, file, Map.of(), Map.of()))
        .hasMessageContaining("unknown worker setting 'batch.max.sise'")
        .hasMessageContaining(file.toString())
        .hasMessageContaining("did you mean batch.max.size?");
  }

  @Test
  void shouldRefuseAFileThatSetsAKeyTwiceRatherThanKeepTheLastValue() throws IOException {
    Path file = dir.resolve("twice.properties");
    Files.writeString(file, "batch.max.size=8\ntopic.prefix=a.\nbatch.max.size=64\n");

    assertThatThrownBy(() -> SettingsBinder.bind(TABLE, file, Map.of(), Map.of()))
        .hasMessage(
            "settings file "
                + file
                + " sets batch.max.size more than once; keep one line for each");
  }

  @Test
  void shouldReadASettingsFileAsUtf8AndSayWhenItIsNot() throws IOException {
    Path file = dir.resolve("utf8.properties");
    Files.writeString(file, "topic.prefix=zürich.\n", java.nio.charset.StandardCharsets.UTF_8);

    assertThat(SettingsBinder.bind(TABLE, file, Map.of(), Map.of()).get(PREFIX))
        .isEqualTo("zürich.");

    Path latin1 = dir.resolve("latin1.properties");
    Files.writeString(
        latin1, "topic.prefix=zürich.\n", java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> SettingsBinder.bind(TABLE, latin1, Map.of(), Map.of()))
        .hasMessage("settings file " + latin1 + " is not UTF-8; save it as UTF-8 and retry");
  }

  @Test
  void shouldPassPrefixedKeysThroughUnchecked() {
    SettingValues v = SettingValues.of(TABLE, Map.of("kafka.security.protocol", "SASL_SSL"));

    assertThat(v.passThrough("kafka.")).containsEntry("security.protocol", "SASL_SSL");
  }

  @Test
  void shouldRenderEveryKeyIntoTheDocumentTable() {
    String doc = SettingsDoc.table(TABLE);

    assertThat(doc)
        .contains("| `batch.max.size` | `EXPERTFLOW_BATCH_MAX_SIZE` | int | `32` |")
        .contains("| `batch.max.delay.ms` | `EXPERTFLOW_BATCH_MAX_DELAY_MS` | duration | `5ms` |")
        .contains("Must be at least 1.");
  }

  private static Map<String, String> mapOf(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
