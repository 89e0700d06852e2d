package io.expertflow.schemas.settings;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the text of a setting becomes a typed value, and back (for the documentation). Parsing is
 * strict: an {@link IllegalArgumentException} says what the value should look like.
 *
 * @param name the type as the documentation names it
 * @param parser text to value; throws {@link IllegalArgumentException} on bad text
 * @param formatter value to the text that parses back to it
 */
public record SettingType<T>(
    String name, Function<String, T> parser, Function<T, String> formatter) {

  public static final SettingType<String> STRING = new SettingType<>("string", s -> s, s -> s);
  public static final SettingType<Integer> INT =
      new SettingType<>("int", SettingType::parseInt, String::valueOf);
  public static final SettingType<Long> LONG =
      new SettingType<>("long", SettingType::parseLong, String::valueOf);
  public static final SettingType<Double> DOUBLE =
      new SettingType<>("double", SettingType::parseDouble, String::valueOf);
  public static final SettingType<Boolean> BOOLEAN =
      new SettingType<>("boolean", SettingType::parseBoolean, String::valueOf);
  public static final SettingType<Duration> DURATION =
      new SettingType<>("duration", DurationText::parse, DurationText::format);

  /** A comma-separated list; blanks are dropped, order kept, duplicates removed. */
  public static final SettingType<Set<String>> LIST =
      new SettingType<>(
          "list",
          s ->
              Arrays.stream(s.split(","))
                  .map(String::trim)
                  .filter(v -> !v.isEmpty())
                  .collect(Collectors.toCollection(LinkedHashSet::new)),
          v -> String.join(",", v));

  /** One of an enum's constants, written in lower case; dashes read as underscores. */
  public static <E extends Enum<E>> SettingType<E> oneOf(Class<E> type) {
    List<String> names =
        Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    return new SettingType<>(
        String.join(" / ", names),
        s -> {
          try {
            return Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", names));
          }
        },
        e -> e.name().toLowerCase(Locale.ROOT));
  }

  public T parse(String text) {
    return parser.apply(text);
  }

  public String format(T value) {
    return formatter.apply(value);
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number");
    }
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number");
    }
  }

  private static double parseDouble(String s) {
    try {
      double d = Double.parseDouble(s.trim());
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a number");
    }
  }

  private static boolean parseBoolean(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }
}
