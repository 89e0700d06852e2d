package io.expertflow.bench.report;

import java.util.Locale;

/**
 * A small SVG writer: the elements the charts draw, their text escaped. Classes carry the styling
 * (the page's style sheet), so the markup says what an element is: {@code bar}, {@code dot}, {@code
 * point}, {@code line}, {@code tick}, {@code axis-label}.
 */
final class Svg {
  private final StringBuilder out = new StringBuilder();

  Svg(int width, int height, String title) {
    out.append("<svg class=\"chart\" role=\"img\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\">\n<title>")
        .append(Html.escape(title))
        .append("</title>\n");
  }

  /** A rectangle with a tooltip; {@code cls} names what it is. */
  Svg rect(String cls, double x, double y, double w, double h, String tooltip) {
    out.append("<rect class=\"")
        .append(cls)
        .append("\" x=\"")
        .append(f(x))
        .append("\" y=\"")
        .append(f(y))
        .append("\" width=\"")
        .append(f(w))
        .append("\" height=\"")
        .append(f(h))
        .append('"');
    return tooltip(tooltip, "rect");
  }

  Svg circle(String cls, double cx, double cy, double r, String tooltip) {
    out.append("<circle class=\"")
        .append(cls)
        .append("\" cx=\"")
        .append(f(cx))
        .append("\" cy=\"")
        .append(f(cy))
        .append("\" r=\"")
        .append(f(r))
        .append('"');
    return tooltip(tooltip, "circle");
  }

  Svg line(String cls, double x1, double y1, double x2, double y2) {
    out.append(
        "<line class=\"%s\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n"
            .formatted(cls, f(x1), f(y1), f(x2), f(y2)));
    return this;
  }

  Svg polyline(String cls, double[] xs, double[] ys) {
    out.append("<polyline class=\"").append(cls).append("\" points=\"");
    for (int i = 0; i < xs.length; i++) {
      out.append(i == 0 ? "" : " ").append(f(xs[i])).append(',').append(f(ys[i]));
    }
    out.append("\"/>\n");
    return this;
  }

  /** Text anchored at (x, y): "start", "middle" or "end". */
  Svg text(String cls, double x, double y, String anchor, String text) {
    out.append("<text class=\"")
        .append(cls)
        .append("\" x=\"")
        .append(f(x))
        .append("\" y=\"")
        .append(f(y))
        .append("\" text-anchor=\"")
        .append(anchor)
        .append("\">")
        .append(Html.escape(text))
        .append("</text>\n");
    return this;
  }

  /** Text turned a quarter to the left around (x, y), for a vertical axis. */
  Svg verticalText(String cls, double x, double y, String text) {
    out.append("<text class=\"")
        .append(cls)
        .append("\" x=\"")
        .append(f(x))
        .append("\" y=\"")
        .append(f(y))
        .append("\" text-anchor=\"middle\" transform=\"rotate(-90 ")
        .append(f(x))
        .append(' ')
        .append(f(y))
        .append(")\">")
        .append(Html.escape(text))
        .append("</text>\n");
    return this;
  }

  String end() {
    return out.append("</svg>\n").toString();
  }

  private Svg tooltip(String tooltip, String element) {
    if (tooltip == null) {
      out.append("/>\n");
    } else {
      out.append("><title>")
          .append(Html.escape(tooltip))
          .append("</title></")
          .append(element)
          .append(">\n");
    }
    return this;
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
