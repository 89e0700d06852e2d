package io.expertflow.model.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@link RunComparison} written out: aligned text for a terminal, or Markdown tables. */
final class RunComparisonText {
  private RunComparisonText() {}

  /** {@code c} as aligned text. */
  static String text(RunComparison c) {
    List<String[]> table = new ArrayList<>();
    String section = null;
    for (RunComparison.Row r : c.rows()) {
      if (!r.section().equals(section)) {
        section = r.section();
        table.add(header(c, section));
      }
      table.add(cells(c, r));
    }
    int[] width = new int[table.get(0).length];
    for (String[] line : table) {
      for (int col = 0; col < line.length; col++) {
        width[col] = Math.max(width[col], line[col].length());
      }
    }
    StringBuilder out = new StringBuilder(intro(c));
    for (String[] line : table) {
      if (line[0].equals(RunComparison.TEST) || line[0].equals(RunComparison.SHIFT)) {
        out.append(System.lineSeparator());
      }
      StringBuilder l = new StringBuilder();
      for (int col = 0; col < line.length; col++) {
        String cell = line[col];
        l.append(col == 0 ? pad(cell, width[col]) : "  " + padLeft(cell, width[col]));
      }
      out.append(l.toString().stripTrailing()).append(System.lineSeparator());
    }
    out.append(gains(c));
    return out.toString();
  }

  /** {@code c} as Markdown tables, one per section. */
  static String markdown(RunComparison c) {
    StringBuilder out = new StringBuilder(intro(c));
    String section = null;
    for (RunComparison.Row r : c.rows()) {
      if (!r.section().equals(section)) {
        section = r.section();
        String[] h = header(c, section);
        out.append(System.lineSeparator()).append("| ").append(String.join(" | ", h)).append(" |");
        out.append(System.lineSeparator()).append("|");
        for (int col = 0; col < h.length; col++) {
          out.append(col == 0 ? " --- |" : " ---: |");
        }
        out.append(System.lineSeparator());
      }
      out.append("| ")
          .append(String.join(" | ", cells(c, r)))
          .append(" |")
          .append(System.lineSeparator());
    }
    out.append(System.lineSeparator()).append(gains(c));
    return out.toString();
  }

  private static String intro(RunComparison c) {
    StringBuilder out = new StringBuilder();
    List<String> named = new ArrayList<>();
    for (RunComparison.Run r : c.runs()) {
      named.add(r.seed() < 0 ? r.name() : r.name() + " (seed " + r.seed() + ")");
    }
    out.append(c.runs().size())
        .append(c.runs().size() == 1 ? " run: " : " runs: ")
        .append(String.join(", ", named))
        .append("; encoder ")
        .append(c.runs().get(0).encoder())
        .append(", ")
        .append(c.runs().get(0).metrics().at("/setup/docs_per_label").asText("?"))
        .append(" documents per label, ")
        .append(c.runs().get(0).metrics().at("/setup/max_chunks_per_doc").asText("?"))
        .append(" chunks per document")
        .append(System.lineSeparator());
    List<String> differ = c.differences();
    if (!differ.isEmpty()) {
      out.append("the runs differ in more than their seed, so the spread is not the seeds' alone: ")
          .append(String.join("; ", differ))
          .append(System.lineSeparator());
    }
    out.append(
            "mean, sd (sample standard deviation) and range over the runs that have a figure;"
                + " accuracies as fractions, changes in points, shares in percent")
        .append(System.lineSeparator());
    return out.toString();
  }

  private static String gains(RunComparison c) {
    double alone = c.shareOfMeanGains(false);
    if (Double.isNaN(alone)) {
      return "";
    }
    double served = c.shareOfMeanGains(true);
    return String.format(
        Locale.ROOT,
        "the update's mean gain as a share of the retrain's mean gain: %s, served %s%n",
        percent(alone),
        Double.isNaN(served) ? "-" : percent(served));
  }

  private static String[] header(RunComparison c, String section) {
    String[] h = new String[c.runs().size() + 4];
    h[0] = section;
    for (int i = 0; i < c.runs().size(); i++) {
      h[i + 1] = c.runs().get(i).name();
    }
    h[c.runs().size() + 1] = "mean";
    h[c.runs().size() + 2] = "sd";
    h[c.runs().size() + 3] = "range";
    return h;
  }

  private static String[] cells(RunComparison c, RunComparison.Row r) {
    String[] out = new String[c.runs().size() + 4];
    out[0] = r.figure();
    for (int i = 0; i < c.runs().size(); i++) {
      out[i + 1] = format(r.values()[i], r.unit(), false);
    }
    out[c.runs().size() + 1] = format(r.mean(), r.unit(), false);
    out[c.runs().size() + 2] = format(r.sd(), r.unit(), true);
    out[c.runs().size() + 3] =
        r.count() < 2
            ? "-"
            : format(r.min(), r.unit(), false) + " .. " + format(r.max(), r.unit(), false);
    return out;
  }

  static String format(double v, RunComparison.Unit unit, boolean spread) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return switch (unit) {
      case ACCURACY -> String.format(Locale.ROOT, "%.3f", v);
      case POINTS -> String.format(Locale.ROOT, spread ? "%.1f" : "%+.1f", v);
      case PERCENT -> percent(v);
      case FINE_PERCENT -> String.format(Locale.ROOT, "%.3f %%", v * 100);
    };
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.0f %%", share * 100);
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  private static String padLeft(String s, int width) {
    return " ".repeat(Math.max(0, width - s.length())) + s;
  }
}
