package io.expertflow.schemas.settings;

import io.expertflow.schemas.errors.ErrorText;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binds one app's settings from its three sources, later ones winning: a properties file, {@code
 * EXPERTFLOW_<KEY>} environment variables (only those of the table's keys), and the command line
 * ({@code --set KEY=VALUE} and dedicated flags). Every source is checked on its own, so an error
 * names where the bad key or value came from. Stateless.
 */
public final class SettingsBinder {
  private SettingsBinder() {}

  /**
   * @param file the properties file, or null
   * @param env the environment ({@code System.getenv()} in production)
   * @param commandLine key to value from the command line; null values are absent
   * @throws IllegalArgumentException naming the source, key and value of the first problem
   */
  public static SettingValues bind(
      SettingTable table, Path file, Map<String, String> env, Map<String, String> commandLine) {
    return bind(table, Map.of(), file, env, commandLine);
  }

  /**
   * As {@link #bind(SettingTable, Path, Map, Map)}, below everything else {@code fallback}: values
   * the app works out when no source gives one (the local stack's addresses, for example).
   */
  public static SettingValues bind(
      SettingTable table,
      Map<String, String> fallback,
      Path file,
      Map<String, String> env,
      Map<String, String> commandLine) {
    SettingValues.of(table, fallback, "defaults");
    Map<String, String> merged = new LinkedHashMap<>(fallback);
    if (file != null) {
      Map<String, String> fromFile = readProperties(file);
      SettingValues.of(table, fromFile, "--config " + file);
      merged.putAll(fromFile);
    }
    Map<String, String> fromEnv = new LinkedHashMap<>();
    for (SettingKey<?> key : table.keys()) {
      String v = env.get(key.envName());
      if (v != null && !v.isBlank()) {
        fromEnv.put(key.name(), v);
      }
    }
    SettingValues.of(table, fromEnv, "environment");
    merged.putAll(fromEnv);
    Map<String, String> fromCommandLine = new LinkedHashMap<>();
    commandLine.forEach(
        (k, v) -> {
          if (v != null) {
            fromCommandLine.put(k, v);
          }
        });
    SettingValues.of(table, fromCommandLine, "the command line");
    merged.putAll(fromCommandLine);
    return SettingValues.of(table, merged, "settings");
  }

  /**
   * The key-value pairs of a properties file, read as UTF-8.
   *
   * @throws IllegalArgumentException when the file sets a key twice: the last value would win
   *     unseen, and a second line is most often an edit that meant to replace the first
   */
  public static Map<String, String> readProperties(Path file) {
    Set<String> twice = new TreeSet<>();
    Properties p =
        new Properties() {
          @Override
          public synchronized Object put(Object key, Object value) {
            if (containsKey(key)) {
              twice.add(String.valueOf(key));
            }
            return super.put(key, value);
          }
        };
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "settings file " + file + " is not UTF-8; save it as UTF-8 and retry", e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read settings file " + file + ": " + ErrorText.of(e), e);
    }
    if (!twice.isEmpty()) {
      throw new IllegalArgumentException(
          "settings file "
              + file
              + " sets "
              + String.join(", ", twice)
              + " more than once; keep one line for each");
    }
    Map<String, String> out = new LinkedHashMap<>();
    p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }
}
