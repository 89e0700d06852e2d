package io.expertflow.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Escaping and number formats shared by the page and its charts. */
final class Html {
  private Html() {}

  /** Text made safe for element content and for attribute values in double quotes. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A number with thousands separators and at most {@code decimals} decimals. */
  static String number(double value, int decimals) {
    if (!Double.isFinite(value)) {
      return "–";
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }

  /** A number with two significant decimals below 10, one below 100, none above. */
  static String number(double value) {
    double abs = Math.abs(value);
    return number(value, abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
  }

  static String percent(double fraction) {
    return Double.isFinite(fraction) ? number(100 * fraction, 1) + " %" : "–";
  }

  static String bytes(double bytes) {
    if (bytes >= 1L << 30) {
      return number(bytes / (1L << 30), 1) + " GiB";
    }
    return number(bytes / (1L << 20), 0) + " MiB";
  }

  static String usd(double usd) {
    return Double.isFinite(usd) ? "$" + number(usd, usd < 1 ? 3 : 2) : "–";
  }

  /** The note that stands in for a figure the run did not record. */
  static String notMeasured(String what) {
    return "<p class=\"not-measured\">" + escape(what) + ": not measured in this run.</p>\n";
  }

  /** A table of label and value rows, both as text (escaped here), no header. */
  static String definitions(List<Map.Entry<String, String>> rows) {
    StringBuilder t = new StringBuilder("<table class=\"setup\">\n<tbody>\n");
    for (Map.Entry<String, String> row : rows) {
      t.append("<tr><th scope=\"row\">")
          .append(escape(row.getKey()))
          .append("</th><td>")
          .append(escape(row.getValue()))
          .append("</td></tr>\n");
    }
    return t.append("</tbody>\n</table>\n").toString();
  }

  /** A table of text cells (escaped here); cells that start with a digit are right-aligned. */
  static String table(List<String> headers, List<List<String>> rows) {
    StringBuilder t = new StringBuilder("<table>\n<thead><tr>");
    for (String h : headers) {
      t.append("<th>").append(escape(h)).append("</th>");
    }
    t.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : rows) {
      t.append("<tr>");
      for (String cell : row) {
        boolean numeric =
            !cell.isEmpty() && (Character.isDigit(cell.charAt(0)) || cell.startsWith("$"));
        t.append(numeric ? "<td class=\"num\">" : "<td>").append(escape(cell)).append("</td>");
      }
      t.append("</tr>\n");
    }
    return t.append("</tbody>\n</table>\n").toString();
  }
}
