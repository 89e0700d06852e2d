package io.expertflow.model.corpus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts what a reader of a raw RFC 822 mail message sees: the subject and the body text. Routing
 * and transport headers are dropped; MIME multiparts are walked (for {@code multipart/alternative}
 * the plain-text part wins), transfer encodings and charsets decoded, HTML reduced to text, and
 * attachments that are not text skipped. Stateless.
 */
public final class MailText {
  private static final int MAX_DEPTH = 8;
  private static final Pattern PARAM =
      Pattern.compile("(?i);\\s*([a-z0-9_-]+)\\s*=\\s*(\"([^\"]*)\"|[^;\\s]+)");
  private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f\\u00A0]+");
  private static final Pattern LINE_EDGES = Pattern.compile("(?m)^ +| +$");
  private static final Pattern BLANK_LINES = Pattern.compile("\\n{3,}");

  private MailText() {}

  /** Subject and body text of {@code raw}, separated by a blank line, whitespace tidied. */
  public static String extract(byte[] raw) {
    String message = new String(raw, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
    Part part = Part.parse(message);
    String subject = MimeDecoding.decodeHeader(part.header("subject", "")).strip();
    String body = text(part, 0);
    return tidy(subject.isEmpty() ? body : subject + "\n\n" + body);
  }

  private static String text(Part part, int depth) {
    if (depth > MAX_DEPTH) {
      return "";
    }
    String type = part.mediaType();
    if (type.startsWith("multipart/")) {
      List<Part> children = part.children();
      if (type.equals("multipart/alternative")) {
        for (Part child : children) {
          if (child.mediaType().equals("text/plain")) {
            return text(child, depth + 1);
          }
        }
      }
      StringBuilder out = new StringBuilder();
      for (Part child : children) {
        String t = text(child, depth + 1);
        if (!t.isBlank()) {
          out.append(t).append("\n\n");
        }
      }
      return out.toString();
    }
    if (type.equals("message/rfc822")) {
      return text(Part.parse(part.body), depth + 1);
    }
    if (!type.equals("text/plain") && !type.equals("text/html")) {
      return ""; // images, applications, ...: no readable text
    }
    byte[] bytes =
        MimeDecoding.decodeTransfer(part.body, part.header("content-transfer-encoding", ""));
    String text = MimeDecoding.decodeCharset(bytes, part.param("charset"));
    return type.equals("text/html") ? HtmlText.toText(text) : text;
  }

  static String tidy(String text) {
    String s = SPACES.matcher(text.replace('\r', '\n')).replaceAll(" ");
    s = LINE_EDGES.matcher(s).replaceAll("");
    s = BLANK_LINES.matcher(s).replaceAll("\n\n");
    return s.strip();
  }

  /** One MIME entity: unfolded headers (lower-case names, first value wins) and its raw body. */
  private record Part(Map<String, String> headers, String body) {
    static Part parse(String entity) {
      int split = entity.startsWith("\n") ? 0 : entity.indexOf("\n\n");
      String head = split < 0 ? entity : entity.substring(0, split);
      String body = split < 0 ? "" : entity.substring(split + (split == 0 ? 1 : 2));
      Map<String, String> headers = new HashMap<>();
      String name = null;
      StringBuilder value = new StringBuilder();
      for (String line : head.split("\n")) {
        if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
          value.append(' ').append(line.strip());
          continue;
        }
        if (name != null) {
          headers.putIfAbsent(name, value.toString());
        }
        int colon = line.indexOf(':');
        if (colon > 0) {
          name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
          value = new StringBuilder(line.substring(colon + 1).strip());
        } else {
          name = null;
        }
      }
      if (name != null) {
        headers.putIfAbsent(name, value.toString());
      }
      return new Part(headers, body);
    }

    String header(String name, String fallback) {
      return headers.getOrDefault(name, fallback);
    }

    String mediaType() {
      String ct = header("content-type", "text/plain");
      int semi = ct.indexOf(';');
      String type = (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
      return type.isEmpty() || !type.contains("/") ? "text/plain" : type;
    }

    String param(String key) {
      Matcher m = PARAM.matcher(header("content-type", ""));
      while (m.find()) {
        if (m.group(1).equalsIgnoreCase(key)) {
          return m.group(3) != null ? m.group(3) : m.group(2);
        }
      }
      return null;
    }

    List<Part> children() {
      String boundary = param("boundary");
      List<Part> parts = new ArrayList<>();
      if (boundary == null || boundary.isEmpty()) {
        parts.add(new Part(Map.of(), body));
        return parts;
      }
      String delimiter = "--" + boundary;
      StringBuilder current = null;
      for (String line : body.split("\n", -1)) {
        String trimmed = line.stripTrailing();
        if (trimmed.equals(delimiter) || trimmed.equals(delimiter + "--")) {
          if (current != null) {
            parts.add(parse(current.toString()));
          }
          if (trimmed.endsWith("--") && trimmed.length() == delimiter.length() + 2) {
            return parts;
          }
          current = new StringBuilder();
        } else if (current != null) {
          current.append(line).append('\n');
        }
      }
      if (current != null && !current.isEmpty()) {
        parts.add(parse(current.toString()));
      }
      return parts;
    }
  }
}
