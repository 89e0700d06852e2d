package io.expertflow.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Vertical bars from zero, one group per category and one bar per series in each group, each bar
 * labelled with its value; a series may carry dots (single measurements, e.g. each round) over its
 * bars. Categories or series without a value (NaN) leave a gap.
 */
final class BarChart {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 300;
  private static final double LEFT = 64;
  private static final double RIGHT = 16;
  private static final double TOP = 28;
  private static final double BOTTOM = 48;

  /** One series: a value per category, and optional dots per category. */
  record Series(String name, List<Double> values, List<List<Double>> dots) {}

  private final String title;
  private final String yLabel;
  private final List<String> categories;
  private final List<Series> series = new ArrayList<>();
  private DoubleFunction<String> format = Html::number;

  BarChart(String title, String yLabel, List<String> categories) {
    this.title = title;
    this.yLabel = yLabel;
    this.categories = List.copyOf(categories);
  }

  BarChart series(String name, List<Double> values) {
    return series(name, values, List.of());
  }

  BarChart series(String name, List<Double> values, List<List<Double>> dots) {
    if (values.size() != categories.size()) {
      throw new IllegalArgumentException(
          name + ": " + values.size() + " values for " + categories.size() + " categories");
    }
    series.add(new Series(name, values, dots));
    return this;
  }

  BarChart format(DoubleFunction<String> format) {
    this.format = format;
    return this;
  }

  String svg() {
    double max = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        max = Double.isFinite(v) ? Math.max(max, v) : max;
      }
      for (List<Double> dots : s.dots()) {
        for (double d : dots) {
          max = Math.max(max, d);
        }
      }
    }
    double top = Scale.niceMax(max);
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    double base = TOP + plotH;
    Svg svg = new Svg(WIDTH, HEIGHT, title);
    for (double tick : Scale.linearTicks(top)) {
      double y = base - plotH * tick / top;
      svg.line("grid", LEFT, y, WIDTH - RIGHT, y);
      svg.text("tick", LEFT - 6, y + 4, "end", Scale.linearTick(tick, top));
    }
    svg.verticalText("axis-label", 14, TOP + plotH / 2, yLabel);
    double group = plotW / categories.size();
    double barW = Math.min(72, group * 0.75 / series.size());
    for (int c = 0; c < categories.size(); c++) {
      double groupX = LEFT + group * c + (group - barW * series.size()) / 2;
      svg.text("category", LEFT + group * c + group / 2, base + 18, "middle", categories.get(c));
      for (int s = 0; s < series.size(); s++) {
        Series ser = series.get(s);
        double v = ser.values().get(c);
        double x = groupX + barW * s;
        if (Double.isFinite(v)) {
          double h = plotH * v / top;
          String label = categories.get(c) + ", " + ser.name() + ": " + format.apply(v);
          svg.rect("bar s" + s, x + 2, base - h, barW - 4, h, label);
        }
        List<Double> dots = c < ser.dots().size() ? ser.dots().get(c) : List.of();
        if (Double.isFinite(v)) {
          // above the bar and above its dots, so neither hides the number
          double highest = Math.max(v, dots.stream().mapToDouble(d -> d).max().orElse(v));
          double labelY = base - plotH * highest / top - 7;
          svg.text("value", x + barW / 2, labelY, "middle", format.apply(v));
        }
        for (int d = 0; d < dots.size(); d++) {
          double dx = x + barW / 2 + (d - (dots.size() - 1) / 2.0) * Math.min(10, barW / 4);
          double dy = base - plotH * dots.get(d) / top;
          svg.circle("dot", dx, dy, 3.5, ser.name() + ", one round: " + format.apply(dots.get(d)));
        }
      }
    }
    svg.line("axis", LEFT, base, WIDTH - RIGHT, base);
    if (series.size() > 1) {
      legend(svg);
    }
    return svg.end();
  }

  private void legend(Svg svg) {
    double x = LEFT + 8;
    for (int s = 0; s < series.size(); s++) {
      svg.rect("swatch s" + s, x, 8, 12, 12, null);
      svg.text("legend", x + 16, 18, "start", series.get(s).name());
      x += 28 + 7 * series.get(s).name().length();
    }
  }
}
