package io.expertflow.bench.report;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * End-to-end latency against the achieved arrival rate: p50, p99 and p99.9 as lines over a
 * logarithmic millisecond axis, each rate labelled with its fraction of the worker's maximum.
 */
final class LatencyChart {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 340;
  private static final double LEFT = 64;
  private static final double RIGHT = 24;
  private static final double TOP = 40;
  private static final double BOTTOM = 48;

  private record Line(String name, ToDoubleFunction<BenchResult.LatencyPoint> ms) {}

  private static final List<Line> LINES =
      List.of(
          new Line("p50", BenchResult.LatencyPoint::p50Ms),
          new Line("p99", BenchResult.LatencyPoint::p99Ms),
          new Line("p99.9", BenchResult.LatencyPoint::p999Ms));

  private LatencyChart() {}

  /** {@code points} by rising rate, each with every percentile above zero. */
  static String svg(List<BenchResult.LatencyPoint> points) {
    double maxRate = 0;
    double minMs = Double.MAX_VALUE;
    double maxMs = 0;
    for (BenchResult.LatencyPoint p : points) {
      maxRate = Math.max(maxRate, p.achievedDocumentsPerSecond());
      for (Line l : LINES) {
        minMs = Math.min(minMs, Math.max(1, l.ms().applyAsDouble(p)));
        maxMs = Math.max(maxMs, l.ms().applyAsDouble(p));
      }
    }
    double right = Scale.niceMax(maxRate);
    double low = Scale.powerOfTenBelow(minMs);
    double high = Math.max(Scale.powerOfTenAbove(maxMs), low * 10);
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    double base = TOP + plotH;
    ToDoubleFunction<Double> y =
        ms -> base - plotH * Math.log10(Math.max(ms, low) / low) / Math.log10(high / low);
    Svg svg = new Svg(WIDTH, HEIGHT, "End-to-end latency against the achieved rate");
    for (double tick : Scale.logTicks(low, high)) {
      double ty = y.applyAsDouble(tick);
      svg.line("grid", LEFT, ty, WIDTH - RIGHT, ty);
      svg.text("tick", LEFT - 6, ty + 4, "end", Html.number(tick, 0));
    }
    for (double tick : Scale.linearTicks(right)) {
      double tx = LEFT + plotW * tick / right;
      svg.text("tick", tx, base + 16, "middle", Scale.linearTick(tick, right));
    }
    svg.line("axis", LEFT, base, WIDTH - RIGHT, base);
    svg.line("axis", LEFT, TOP, LEFT, base);
    svg.verticalText("axis-label", 14, TOP + plotH / 2, "latency, ms (log scale)");
    svg.text("axis-label", LEFT + plotW / 2, HEIGHT - 8, "middle", "achieved documents/s");
    double[] xs = new double[points.size()];
    for (int i = 0; i < points.size(); i++) {
      xs[i] = LEFT + plotW * points.get(i).achievedDocumentsPerSecond() / right;
    }
    for (int s = 0; s < LINES.size(); s++) {
      Line line = LINES.get(s);
      double[] ys = new double[points.size()];
      for (int i = 0; i < points.size(); i++) {
        ys[i] = y.applyAsDouble(line.ms().applyAsDouble(points.get(i)));
      }
      svg.polyline("line s" + s, xs, ys);
      for (int i = 0; i < points.size(); i++) {
        BenchResult.LatencyPoint p = points.get(i);
        svg.circle(
            "point s" + s,
            xs[i],
            ys[i],
            4,
            "%s at %s documents/s: %s ms"
                .formatted(
                    line.name(),
                    Html.number(p.achievedDocumentsPerSecond()),
                    Html.number(line.ms().applyAsDouble(p), 0)));
      }
      svg.rect("swatch s" + s, LEFT + 8 + 72 * s, 8, 12, 12, null);
      svg.text("legend", LEFT + 24 + 72 * s, 18, "start", line.name());
    }
    for (int i = 0; i < points.size(); i++) {
      BenchResult.LatencyPoint p = points.get(i);
      if (Double.isFinite(p.fraction())) {
        double labelY = y.applyAsDouble(LINES.get(LINES.size() - 1).ms().applyAsDouble(p)) - 10;
        svg.text("point-label", xs[i], labelY, "middle", Html.number(100 * p.fraction(), 0) + " %");
      }
    }
    return svg.end();
  }
}
