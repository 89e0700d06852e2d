package io.expertflow.schemas.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The values of one app's settings, every one parsed and checked against its {@link SettingTable}
 * when this is built; the typed config objects are built from it. Immutable.
 */
public final class SettingValues {
  private final SettingTable table;
  private final Map<String, Object> parsed;
  private final Map<String, String> passThrough;

  private SettingValues(
      SettingTable table, Map<String, Object> parsed, Map<String, String> passThrough) {
    this.table = table;
    this.parsed = Collections.unmodifiableMap(parsed);
    this.passThrough = Collections.unmodifiableMap(passThrough);
  }

  /**
   * Parses and checks {@code text} (key to value text). A blank value counts as absent, except for
   * a string key, where it is the empty string (an empty {@code topic.prefix} is meaningful).
   *
   * @throws IllegalArgumentException at the first unknown key or bad value, naming it
   */
  public static SettingValues of(SettingTable table, Map<String, String> text) {
    return of(table, text, "properties");
  }

  static SettingValues of(SettingTable table, Map<String, String> text, String source) {
    Map<String, Object> parsed = new LinkedHashMap<>();
    Map<String, String> passThrough = new LinkedHashMap<>();
    text.forEach(
        (name, value) -> {
          table.requireKnown(name, source);
          Optional<SettingKey<?>> key = table.key(name);
          boolean isString = key.isPresent() && key.get().type() == SettingType.STRING;
          if (value == null || (value.isBlank() && !isString)) {
            return;
          }
          if (key.isPresent()) {
            parsed.put(name, key.get().parse(value.trim()));
          } else {
            passThrough.put(name, value.trim());
          }
        });
    return new SettingValues(table, parsed, passThrough);
  }

  public SettingTable table() {
    return table;
  }

  /** The value of {@code key}: the one given, else its default (null for a computed default). */
  @SuppressWarnings("unchecked")
  public <T> T get(SettingKey<T> key) {
    requireOwn(key);
    Object v = parsed.get(key.name());
    return v == null ? key.defaultValue() : (T) v;
  }

  /** The value of {@code key} if a source gave one. */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> given(SettingKey<T> key) {
    requireOwn(key);
    return Optional.ofNullable((T) parsed.get(key.name()));
  }

  /**
   * The pass-through keys under {@code prefix}, without it ({@code kafka.acks} as {@code acks}).
   */
  public Map<String, String> passThrough(String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    passThrough.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  private void requireOwn(SettingKey<?> key) {
    if (table.key(key.name()).orElse(null) != key) {
      throw new IllegalStateException(
          "setting " + key.name() + " is not in the " + table.app() + " table");
    }
  }
}
