package io.expertflow.cli.demo;

import java.util.List;
import java.util.Locale;

/**
 * Small, dependency-free SVG charts for the self-contained report: points or a line over a time
 * axis, and bars. Every chart is {@value #WIDTH} by {@value #HEIGHT} pixels with labelled axes.
 * Stateless.
 */
final class SvgChart {
  static final int WIDTH = 640;
  static final int HEIGHT = 240;
  private static final int LEFT = 56;
  private static final int RIGHT = 12;
  private static final int TOP = 12;
  private static final int BOTTOM = 36;

  /** A point of a series, with its color. */
  record Point(double x, double y, String color) {}

  /** A bar, with its label and color. */
  record Bar(String label, double value, String color) {}

  /** A shaded band on the x axis (a phase), with its caption. */
  record Band(double from, double to, String caption) {}

  /** About how wide one character of a 10 px caption is, to keep captions apart. */
  static final double CAPTION_CHAR_WIDTH = 6;

  private SvgChart() {}

  static String points(
      List<Point> points, List<Band> bands, String xTitle, String yTitle, boolean line) {
    double maxX = Math.max(1e-9, points.stream().mapToDouble(Point::x).max().orElse(1));
    for (Band b : bands) {
      maxX = Math.max(maxX, b.to());
    }
    double maxY = niceMax(points.stream().mapToDouble(Point::y).max().orElse(1));
    StringBuilder s = open();
    int i = 0;
    double[] rowEnds = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (Band b : bands) {
      double x0 = x(b.from(), maxX);
      double x1 = x(b.to(), maxX);
      s.append(
          f(
              "<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='%s' opacity='0.35'/>",
              x0,
              TOP,
              Math.max(1, x1 - x0),
              HEIGHT - TOP - BOTTOM,
              i++ % 2 == 0 ? "#e8eef7" : "#f4efe6"));
      // a caption that would run into the one before it (short phases) goes one line lower
      int row = x0 + 3 >= rowEnds[0] ? 0 : x0 + 3 >= rowEnds[1] || rowEnds[1] < rowEnds[0] ? 1 : 0;
      rowEnds[row] = x0 + 3 + CAPTION_CHAR_WIDTH * b.caption().length() + 4;
      s.append(
          f(
              "<text x='%.1f' y='%d' font-size='10' fill='#555'>%s</text>",
              x0 + 3, TOP + 11 + 12 * row, esc(b.caption())));
    }
    axes(s, maxX, maxY, xTitle, yTitle);
    if (line && points.size() > 1) {
      StringBuilder path = new StringBuilder();
      for (Point p : points) {
        path.append(path.length() == 0 ? "M" : " L")
            .append(f("%.1f %.1f", x(p.x(), maxX), y(p.y(), maxY)));
      }
      s.append(
          f(
              "<path d='%s' fill='none' stroke='%s' stroke-width='1.5'/>",
              path, points.get(0).color()));
    } else {
      for (Point p : points) {
        s.append(
            f(
                "<circle cx='%.1f' cy='%.1f' r='2' fill='%s' opacity='0.7'/>",
                x(p.x(), maxX), y(p.y(), maxY), p.color()));
      }
    }
    return s.append("</svg>").toString();
  }

  static String bars(List<Bar> bars, String yTitle, double maxY, boolean labelEach) {
    double top = maxY > 0 ? maxY : niceMax(bars.stream().mapToDouble(Bar::value).max().orElse(1));
    StringBuilder s = open();
    double plot = WIDTH - LEFT - RIGHT;
    double w = plot / Math.max(1, bars.size());
    yAxis(s, top, yTitle);
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      double x = LEFT + i * w;
      double y = y(b.value(), top);
      s.append(
          f(
              "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>%s: %s</title></rect>",
              x + w * 0.1,
              y,
              Math.max(0.5, w * 0.8),
              HEIGHT - BOTTOM - y,
              b.color(),
              esc(b.label()),
              num(b.value())));
      if (labelEach) {
        s.append(
            f(
                "<text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%s</text>",
                x + w / 2, HEIGHT - BOTTOM + 14, esc(b.label())));
        s.append(
            f(
                "<text x='%.1f' y='%.1f' font-size='10' text-anchor='middle'>%s</text>",
                x + w / 2, y - 3, num(b.value())));
      }
    }
    return s.append("</svg>").toString();
  }

  private static StringBuilder open() {
    return new StringBuilder(
        f(
            "<svg width='%d' height='%d' viewBox='0 0 %d %d'" + " font-family='sans-serif'>",
            WIDTH, HEIGHT, WIDTH, HEIGHT));
  }

  private static void axes(
      StringBuilder s, double maxX, double maxY, String xTitle, String yTitle) {
    yAxis(s, maxY, yTitle);
    for (int i = 0; i <= 4; i++) {
      double v = maxX * i / 4;
      s.append(
          f(
              "<text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%s</text>",
              x(v, maxX), HEIGHT - BOTTOM + 14, num(v)));
    }
    s.append(
        f(
            "<text x='%d' y='%d' font-size='11' text-anchor='middle'>%s</text>",
            LEFT + (WIDTH - LEFT - RIGHT) / 2, HEIGHT - 4, esc(xTitle)));
  }

  private static void yAxis(StringBuilder s, double maxY, String yTitle) {
    s.append(
        f(
            "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>",
            LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
    s.append(
        f(
            "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>",
            LEFT, TOP, LEFT, HEIGHT - BOTTOM));
    for (int i = 0; i <= 4; i++) {
      double v = maxY * i / 4;
      double y = y(v, maxY);
      s.append(
          f(
              "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>",
              LEFT, y, WIDTH - RIGHT, y));
      s.append(
          f(
              "<text x='%d' y='%.1f' font-size='10' text-anchor='end'>%s</text>",
              LEFT - 4, y + 3, num(v)));
    }
    s.append(
        f(
            "<text x='12' y='%d' font-size='11' text-anchor='middle' transform='rotate(-90 12 %d)'>%s</text>",
            TOP + (HEIGHT - TOP - BOTTOM) / 2, TOP + (HEIGHT - TOP - BOTTOM) / 2, esc(yTitle)));
  }

  private static double x(double v, double maxX) {
    return LEFT + (WIDTH - LEFT - RIGHT) * v / maxX;
  }

  private static double y(double v, double maxY) {
    return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * Math.min(v, maxY) / maxY;
  }

  /** 1, 2 or 5 times a power of ten, at least {@code v}. */
  static double niceMax(double v) {
    if (v <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e9
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.2f" : "%.0f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
