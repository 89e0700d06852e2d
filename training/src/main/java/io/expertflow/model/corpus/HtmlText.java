package io.expertflow.model.corpus;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reduces HTML mail bodies to their visible text: scripts, styles and comments removed, tags
 * replaced by spaces, common character entities decoded. Good enough for classification, not a
 * renderer. Stateless.
 */
public final class HtmlText {
  private static final Pattern INVISIBLE =
      Pattern.compile(
          "(?is)<!--.*?-->|<script\\b.*?</script\\s*>|<style\\b.*?</style\\s*>|<head\\b.*?</head\\s*>");
  private static final Pattern BLOCK_TAG =
      Pattern.compile("(?i)<\\s*/?\\s*(br|p|div|tr|li|h[1-6]|table)\\b[^>]*>");
  private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
  private static final Pattern ENTITY = Pattern.compile("&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);");
  private static final Map<String, String> NAMED =
      Map.of(
          "nbsp", " ", "amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'", "copy", "(c)",
          "reg", "(R)");

  private HtmlText() {}

  /** The visible text of {@code html}. */
  public static String toText(String html) {
    String s = INVISIBLE.matcher(html).replaceAll(" ");
    s = BLOCK_TAG.matcher(s).replaceAll("\n");
    s = TAG.matcher(s).replaceAll(" ");
    return decodeEntities(s);
  }

  static String decodeEntities(String s) {
    Matcher m = ENTITY.matcher(s);
    StringBuilder out = new StringBuilder(s.length());
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(entity(m.group(1), m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String entity(String body, String whole) {
    if (body.startsWith("#")) {
      try {
        int code =
            body.length() > 1 && (body.charAt(1) == 'x' || body.charAt(1) == 'X')
                ? Integer.parseInt(body.substring(2), 16)
                : Integer.parseInt(body.substring(1));
        return Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : " ";
      } catch (NumberFormatException e) {
        return " ";
      }
    }
    return NAMED.getOrDefault(body.toLowerCase(java.util.Locale.ROOT), whole);
  }
}
