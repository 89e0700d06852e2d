package io.expertflow.schemas.settings;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One setting: its key, type, default, meaning and check. Immutable.
 *
 * @param name the key, dotted lower case ({@code batch.max.size})
 * @param type how its text is read
 * @param defaultValue the value when no source gives one; null where the app works it out (then
 *     {@code defaultText} says how, e.g. "host name")
 * @param defaultText the default as the documentation shows it
 * @param doc what it does (one row of docs/CONFIGURATION.md)
 * @param check a rule every value must pass; {@code rule} says it in words ("at least 1")
 */
public record SettingKey<T>(
    String name,
    SettingType<T> type,
    T defaultValue,
    String defaultText,
    String doc,
    Predicate<T> check,
    String rule) {

  public SettingKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultText, "defaultText");
    Objects.requireNonNull(doc, "doc");
    Objects.requireNonNull(check, "check");
    if (!name.matches("[a-z0-9]+(\\.[a-z0-9]+)*")) {
      throw new IllegalArgumentException("setting key '" + name + "' is not dotted lower case");
    }
  }

  /** A key with a default. */
  public static <T> SettingKey<T> of(String name, SettingType<T> type, T defaultValue, String doc) {
    Objects.requireNonNull(defaultValue, "defaultValue of " + name);
    return new SettingKey<>(
        name, type, defaultValue, type.format(defaultValue), doc, v -> true, "");
  }

  /** A key whose default the app works out; {@code defaultText} says how. */
  public static <T> SettingKey<T> computed(
      String name, SettingType<T> type, String defaultText, String doc) {
    return new SettingKey<>(name, type, null, defaultText, doc, v -> true, "");
  }

  /** This key, with values also required to pass {@code check}, said as {@code rule}. */
  public SettingKey<T> requiring(Predicate<T> extra, String extraRule) {
    return new SettingKey<>(
        name,
        type,
        defaultValue,
        defaultText,
        doc,
        check.and(extra),
        rule.isEmpty() ? extraRule : rule + ", " + extraRule);
  }

  /** The environment variable: {@code EXPERTFLOW_} and the key upper case, dots as underscores. */
  public String envName() {
    return envName(name);
  }

  public static String envName(String key) {
    return "EXPERTFLOW_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /**
   * The typed value of {@code text}.
   *
   * @throws IllegalArgumentException naming this key, the value and what it should be
   */
  public T parse(String text) {
    T value;
    try {
      value = type.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "setting " + name + "='" + text + "' is invalid: " + e.getMessage(), e);
    }
    if (!check.test(value)) {
      throw new IllegalArgumentException(
          "setting " + name + "='" + text + "' is invalid: it must be " + rule);
    }
    return value;
  }
}
