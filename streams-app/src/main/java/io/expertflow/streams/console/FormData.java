package io.expertflow.streams.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A form ({@code application/x-www-form-urlencoded}) or query string, first value per name. */
final class FormData {
  /** The largest form body read; a decision form is a few hundred bytes. */
  static final int MAX_BYTES = 64 * 1024;

  private final Map<String, String> values;

  private FormData(Map<String, String> values) {
    this.values = values;
  }

  static FormData parse(String encoded) {
    Map<String, String> values = new HashMap<>();
    if (encoded != null && !encoded.isEmpty()) {
      for (String pair : encoded.split("&")) {
        int eq = pair.indexOf('=');
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        values.putIfAbsent(name, value);
      }
    }
    return new FormData(values);
  }

  /**
   * Reads a form body.
   *
   * @throws IllegalArgumentException when the body is larger than {@link #MAX_BYTES} or not
   *     well-formed
   */
  static FormData read(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException("the form is larger than " + MAX_BYTES + " bytes");
    }
    return parse(new String(bytes, StandardCharsets.UTF_8));
  }

  /** The value of {@code name}, trimmed, or null when absent or blank. */
  String get(String name) {
    String v = values.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
