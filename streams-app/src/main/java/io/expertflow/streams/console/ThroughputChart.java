package io.expertflow.streams.console;

import io.expertflow.streams.jobs.AnswerTimeline;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a job's answers over time as a small inline SVG bar chart (documents per second per time
 * bucket), with a text summary for screen readers and for anyone who prefers figures. Stateless.
 */
final class ThroughputChart {
  static final int WIDTH = 600;
  static final int HEIGHT = 140;

  /** Room above the plot for the peak's label. */
  static final int TOP = 18;

  private ThroughputChart() {}

  static String svg(AnswerTimeline timeline) {
    Map<Long, Long> counts = timeline.counts();
    if (counts.isEmpty()) {
      return "<p>No answers yet.</p>";
    }
    long width = timeline.bucketMillis();
    long first = counts.keySet().stream().mapToLong(Long::longValue).min().orElseThrow();
    long last = counts.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
    int buckets = (int) ((last - first) / width) + 1;
    double seconds = width / 1000.0;
    long peak = counts.values().stream().mapToLong(Long::longValue).max().orElse(1);
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    double peakRate = peak / seconds;
    double meanRate = total / (buckets * seconds);
    String summary =
        String.format(
            Locale.ROOT,
            "%,d answers from %s to %s in buckets of %s: on average %.2f documents/s, at most"
                + " %.2f documents/s",
            total,
            Html.time(first),
            Html.time(last + width),
            seconds >= 1 ? String.format(Locale.ROOT, "%.0f s", seconds) : width + " ms",
            meanRate,
            peakRate);
    StringBuilder svg = new StringBuilder();
    svg.append("<figure><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(TOP + HEIGHT + 20)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(TOP + HEIGHT + 20)
        .append("\" aria-label=\"")
        .append(Html.esc(summary))
        .append("\"><rect x=\"0\" y=\"")
        .append(TOP)
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" fill=\"#fff\" stroke=\"#ccc\"/>");
    double barWidth = (double) WIDTH / buckets;
    for (Map.Entry<Long, Long> e : counts.entrySet()) {
      int index = (int) ((e.getKey() - first) / width);
      double h = (double) e.getValue() / peak * (HEIGHT - 10);
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#4a78c2\">"
                  + "<title>%s: %.2f documents/s</title></rect>",
              index * barWidth,
              TOP + HEIGHT - h,
              Math.max(1, barWidth - 1),
              h,
              Html.time(e.getKey()),
              e.getValue() / seconds));
    }
    svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"4\" y=\"13\" font-size=\"12\">peak %.2f documents/s</text>"
                    + "<text x=\"4\" y=\"%d\" font-size=\"12\">%s</text>"
                    + "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%s</text>",
                peakRate,
                TOP + HEIGHT + 16,
                Html.esc(Html.time(first)),
                WIDTH - 4,
                TOP + HEIGHT + 16,
                Html.esc(Html.time(last + width))))
        .append("</svg><figcaption>")
        .append(Html.esc(summary))
        .append("</figcaption></figure>");
    return svg.toString();
  }
}
