package io.expertflow.bench.report;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/** Horizontal bars from zero, one row per label, each with its value written after it. */
final class HorizontalBarChart {
  private static final int WIDTH = 720;
  private static final double ROW = 26;
  private static final double TOP = 8;
  private static final double BOTTOM = 40;
  private static final double RIGHT = 80;

  private HorizontalBarChart() {}

  /** {@code rows}: label to value, drawn top to bottom in the list's order. */
  static String svg(
      String title,
      String xLabel,
      List<Map.Entry<String, Double>> rows,
      DoubleFunction<String> format) {
    int longest = rows.stream().mapToInt(r -> r.getKey().length()).max().orElse(0);
    double left = Math.min(320, 16 + 6.6 * longest);
    double max = rows.stream().mapToDouble(Map.Entry::getValue).max().orElse(0);
    double top = Scale.niceMax(max);
    double plotW = WIDTH - left - RIGHT;
    int height = (int) Math.ceil(TOP + ROW * rows.size() + BOTTOM);
    double base = TOP + ROW * rows.size();
    Svg svg = new Svg(WIDTH, height, title);
    for (double tick : Scale.linearTicks(top)) {
      double x = left + plotW * tick / top;
      svg.line("grid", x, TOP, x, base);
      svg.text("tick", x, base + 16, "middle", format.apply(tick));
    }
    for (int i = 0; i < rows.size(); i++) {
      Map.Entry<String, Double> row = rows.get(i);
      double y = TOP + ROW * i;
      double w = plotW * Math.max(0, row.getValue()) / top;
      svg.text("category", left - 8, y + ROW / 2 + 4, "end", row.getKey());
      svg.rect(
          "bar s0", left, y + 4, w, ROW - 8, row.getKey() + ": " + format.apply(row.getValue()));
      svg.text("value", left + w + 6, y + ROW / 2 + 4, "start", format.apply(row.getValue()));
    }
    svg.line("axis", left, TOP, left, base);
    svg.text("axis-label", left + plotW / 2, height - 6, "middle", xLabel);
    return svg.end();
  }
}
