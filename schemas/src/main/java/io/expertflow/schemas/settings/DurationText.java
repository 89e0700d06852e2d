package io.expertflow.schemas.settings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every setting: a whole number with a unit ({@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 2h}, {@code 7d}), a bare whole number of milliseconds ({@code 500}), or
 * ISO-8601 ({@code PT24H}, {@code P7D}). Stateless.
 */
public final class DurationText {
  private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

  private DurationText() {}

  /**
   * @throws IllegalArgumentException saying which spellings are accepted
   */
  public static Duration parse(String text) {
    String v = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = WITH_UNIT.matcher(v);
    if (m.matches()) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw invalid(text);
      }
      String unit = m.group(2) == null ? "ms" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    if (v.startsWith("p")) {
      try {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw invalid(text);
      }
    }
    throw invalid(text);
  }

  /** The shortest exact spelling: {@code 7d}, {@code 30s}, {@code 1500ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms != 0 && ms % sizes[i] == 0) {
        return ms / sizes[i] + units[i];
      }
    }
    return ms + "ms";
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "'"
            + text
            + "' is not a duration; write a whole number with ms, s, m, h or d (500ms, 30s, 7d),"
            + " plain milliseconds, or ISO-8601 (PT24H)");
  }
}
