package io.expertflow.streams.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * Builds the console's HTML: escaping, the page frame (navigation, the loopback notice, the style
 * sheet inline, no script), and small pieces every page uses. Not thread-safe: one per response.
 */
final class Html {
  static final String STYLE =
      """
      body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
      header{background:#20304a;color:#fff;padding:.6rem 1.2rem}
      header a{color:#fff;margin-right:1.2rem}
      header a[aria-current=page]{font-weight:bold;text-decoration:underline}
      main{padding:1rem 1.2rem;max-width:72rem}
      .notice{background:#fff4ce;border:1px solid #e0c060;padding:.5rem .8rem;margin:.6rem 0}
      .ok{background:#e3f4e1;border:1px solid #6bb46b;padding:.5rem .8rem;margin:.6rem 0}
      table{border-collapse:collapse;margin:.4rem 0 1rem}
      th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
      td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
      .bar{display:inline-block;height:.7rem;background:#4a78c2;vertical-align:middle}
      progress{width:24rem;height:1.2rem}
      article{background:#fff;border:1px solid #ccc;padding:.6rem .9rem;margin:.8rem 0}
      .text{white-space:pre-wrap;max-height:12rem;overflow:auto;background:#f3f3f3;padding:.4rem}
      form.decide{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin-top:.5rem}
      form.decide label{display:flex;flex-direction:column;font-size:.9rem}
      button{padding:.3rem .8rem}
      .visually-hidden{position:absolute;left:-9999px}
      .skip{position:absolute;left:-9999px}
      .skip:focus{position:static;background:#fff;color:#20304a;padding:.2rem .5rem}
      a:focus,button:focus,input:focus,select:focus,.text:focus{outline:3px solid #f0a000}
      """;

  private final StringBuilder out = new StringBuilder(8192);

  /** Escapes text for an element's content or a quoted attribute. */
  static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Encodes a path segment or query value. */
  static String url(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String time(Long epochMillis) {
    return epochMillis == null ? "-" : Instant.ofEpochMilli(epochMillis).toString();
  }

  static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Where the page says who is signed in ({@link ConsoleResponses#html} fills it). */
  static final String CALLER_SLOT = "<!--expertflow:caller-->";

  /** Starts a page; {@code section} is jobs, review or versions (marks the current link). */
  Html begin(String title, String section, Integer refreshSeconds) {
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    if (refreshSeconds != null) {
      out.append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">");
    }
    out.append("<title>")
        .append(esc(title))
        .append(" - expertflow console</title>")
        .append("<style>")
        .append(STYLE)
        .append("</style></head><body>")
        .append("<header><a class=\"skip\" href=\"#main\">Skip to content</a>")
        .append("<nav aria-label=\"Console\">")
        .append("<strong>expertflow</strong> &nbsp; ");
    link("/console/jobs", "Jobs", section.equals("jobs"));
    link("/console/review", "Review queue", section.equals("review"));
    link("/console/versions", "Model versions", section.equals("versions"));
    out.append("</nav></header><main id=\"main\">")
        .append(CALLER_SLOT)
        .append("<h1>")
        .append(esc(title))
        .append("</h1>");
    return this;
  }

  private void link(String href, String text, boolean current) {
    out.append("<a href=\"").append(href).append('"');
    if (current) {
      out.append(" aria-current=\"page\"");
    }
    out.append('>').append(esc(text)).append("</a>");
  }

  /** Appends raw markup (already escaped where needed). */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  /** Appends escaped text. */
  Html text(Object value) {
    out.append(esc(value));
    return this;
  }

  /** A bar of {@code share} (0..1) of 12rem, with the figure beside it. */
  static String bar(double share) {
    double width = Math.max(0, Math.min(1, share)) * 12;
    return String.format(
        Locale.ROOT,
        "<span class=\"bar\" style=\"width:%.2frem\" aria-hidden=\"true\"></span>",
        width);
  }

  /** What was appended, without closing a page. */
  String fragment() {
    return out.toString();
  }

  String end() {
    out.append("</main></body></html>\n");
    return out.toString();
  }
}
