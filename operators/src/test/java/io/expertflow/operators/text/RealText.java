package io.expertflow.operators.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TimeZone;
import java.util.stream.Stream;

/**
 * Real text for invariant and parity tests, without shipping a corpus: the JDK's locale data (the
 * names of forty languages, of the countries, months and weekdays, written in each of those
 * languages; country, language, time zone and currency names in English) and a page of English
 * prose among the test resources.
 */
final class RealText {

  /** Languages in many scripts: Latin, Greek, Cyrillic, Hebrew, Arabic, Indic, Thai, CJK... */
  private static final List<Locale> LOCALES =
      Stream.of(
              "en", "fr", "de", "es", "pt", "it", "nl", "sv", "pl", "cs", "tr", "vi", "ro", "hu",
              "fi", "el", "ru", "uk", "bg", "sr", "he", "ar", "fa", "ur", "hi", "bn", "ta", "te",
              "th", "lo", "km", "my", "ka", "hy", "am", "ko", "ja", "zh", "zh-TW", "mn")
          .map(Locale::forLanguageTag)
          .toList();

  private static final List<String> MULTILINGUAL = buildMultilingual();
  private static final List<String> ENGLISH = buildEnglish();

  private RealText() {}

  /** Several thousand short lines in the world's scripts. */
  static List<String> multilingualLines() {
    return MULTILINGUAL;
  }

  /** Over a thousand lines of plain English words. */
  static List<String> englishLines() {
    return ENGLISH;
  }

  private static List<String> buildMultilingual() {
    Set<String> lines = new LinkedHashSet<>();
    for (Locale in : LOCALES) {
      for (Locale named : LOCALES) {
        lines.add(named.getDisplayName(in));
      }
      for (String country : Locale.getISOCountries()) {
        lines.add(new Locale("", country).getDisplayCountry(in));
      }
      StringBuilder calendar = new StringBuilder();
      for (Month m : Month.values()) {
        calendar.append(m.getDisplayName(TextStyle.FULL, in)).append(", ");
      }
      for (DayOfWeek d : DayOfWeek.values()) {
        calendar.append(d.getDisplayName(TextStyle.FULL, in)).append("; ");
      }
      lines.add(calendar.toString());
    }
    lines.remove("");
    return List.copyOf(lines);
  }

  private static List<String> buildEnglish() {
    Set<String> lines = new LinkedHashSet<>(englishProse());
    for (String country : Locale.getISOCountries()) {
      lines.add(new Locale("", country).getDisplayCountry(Locale.ENGLISH));
    }
    for (String language : Locale.getISOLanguages()) {
      lines.add(new Locale(language).getDisplayLanguage(Locale.ENGLISH));
    }
    for (String id : TimeZone.getAvailableIDs()) {
      lines.add(TimeZone.getTimeZone(id).getDisplayName(Locale.ENGLISH) + " (" + id + ")");
    }
    for (Currency currency : Currency.getAvailableCurrencies()) {
      lines.add(currency.getDisplayName(Locale.ENGLISH) + " " + currency.getCurrencyCode());
    }
    lines.remove("");
    return List.copyOf(lines);
  }

  static List<String> englishProse() {
    InputStream in = RealText.class.getResourceAsStream("/text/english-prose.txt");
    if (in == null) {
      throw new IllegalStateException("test resource /text/english-prose.txt is missing");
    }
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return reader.lines().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
