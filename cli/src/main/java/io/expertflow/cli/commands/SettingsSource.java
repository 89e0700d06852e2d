package io.expertflow.cli.commands;

import io.expertflow.worker.WorkerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Merges the three spellings of a setting into one map, later ones winning: a properties file,
 * environment variables ({@code EXPERTFLOW_} + the key in upper case with dots as underscores, e.g.
 * {@code EXPERTFLOW_BATCH_MAX_SIZE}), and command-line flags.
 */
final class SettingsSource {
  private SettingsSource() {}

  static Map<String, String> merge(
      Path file, List<WorkerConfig.Setting> known, Map<String, String> flags) {
    Map<String, String> out = new LinkedHashMap<>();
    if (file != null) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read --config " + file + ": " + e.getMessage(), e);
      }
      p.forEach((k, v) -> out.put(k.toString(), v.toString()));
    }
    for (WorkerConfig.Setting s : known) {
      String v = System.getenv(envName(s.key()));
      if (v != null && !v.isBlank()) {
        out.put(s.key(), v);
      }
    }
    flags.forEach(
        (k, v) -> {
          if (v != null) {
            out.put(k, v);
          }
        });
    return out;
  }

  static String envName(String key) {
    return "EXPERTFLOW_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }
}
