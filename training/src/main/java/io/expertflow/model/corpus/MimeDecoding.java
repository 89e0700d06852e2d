package io.expertflow.model.corpus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MIME decodings that mail text needs: transfer encodings (quoted-printable, base64), charsets
 * with a lenient fallback, and RFC 2047 encoded words in headers. Stateless.
 */
final class MimeDecoding {
  private static final Pattern ENCODED_WORD =
      Pattern.compile("=\\?([^?]+)\\?([bBqQ])\\?([^?]*)\\?=");

  private MimeDecoding() {}

  /** Bytes of a part body ({@code raw} holds one char per byte) under its transfer encoding. */
  static byte[] decodeTransfer(String raw, String encoding) {
    String e = encoding == null ? "" : encoding.strip().toLowerCase(Locale.ROOT);
    return switch (e) {
      case "quoted-printable" -> quotedPrintable(raw, false);
      case "base64" -> base64(raw);
      default -> raw.getBytes(StandardCharsets.ISO_8859_1);
    };
  }

  /** Text of {@code bytes} in {@code charset}, or ISO-8859-1 when it is absent or unknown. */
  static String decodeCharset(byte[] bytes, String charset) {
    return new String(bytes, charsetOrLatin1(charset));
  }

  /** A header value with RFC 2047 encoded words ({@code =?utf-8?B?...?=}) decoded. */
  static String decodeHeader(String value) {
    Matcher m = ENCODED_WORD.matcher(value);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      String between = value.substring(last, m.start());
      // whitespace between two adjacent encoded words is not part of the text
      if (last == 0 || !between.isBlank()) {
        out.append(between);
      }
      byte[] bytes =
          m.group(2).equalsIgnoreCase("b") ? base64(m.group(3)) : quotedPrintable(m.group(3), true);
      out.append(decodeCharset(bytes, m.group(1)));
      last = m.end();
    }
    out.append(value.substring(last));
    return out.toString();
  }

  static byte[] quotedPrintable(String raw, boolean underscoreIsSpace) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    int n = raw.length();
    for (int i = 0; i < n; i++) {
      char c = raw.charAt(i);
      if (c == '=' && i + 1 < n) {
        char a = raw.charAt(i + 1);
        if (a == '\n') {
          i++;
          continue; // soft line break
        }
        if (a == '\r' && i + 2 < n && raw.charAt(i + 2) == '\n') {
          i += 2;
          continue;
        }
        if (i + 2 < n) {
          int hi = Character.digit(a, 16);
          int lo = Character.digit(raw.charAt(i + 2), 16);
          if (hi >= 0 && lo >= 0) {
            out.write(hi * 16 + lo);
            i += 2;
            continue;
          }
        }
      }
      out.write(underscoreIsSpace && c == '_' ? ' ' : (c & 0xff));
    }
    return out.toByteArray();
  }

  static byte[] base64(String raw) {
    try {
      return Base64.getMimeDecoder().decode(raw.strip());
    } catch (IllegalArgumentException e) {
      return new byte[0]; // malformed base64 carries no usable text
    }
  }

  private static Charset charsetOrLatin1(String name) {
    if (name == null || name.isBlank()) {
      return StandardCharsets.ISO_8859_1;
    }
    try {
      String n = name.strip().replace("\"", "");
      return Charset.isSupported(n) ? Charset.forName(n) : StandardCharsets.ISO_8859_1;
    } catch (IllegalArgumentException e) {
      return StandardCharsets.ISO_8859_1;
    }
  }
}
