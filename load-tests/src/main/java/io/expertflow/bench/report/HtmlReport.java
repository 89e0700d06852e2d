package io.expertflow.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * One self-contained HTML page of a bench run: every figure as an inline SVG chart with its table,
 * the setup it was measured with under each, the setup in full and how it was measured. Nothing is
 * loaded from elsewhere (no script, font, image or link), so the file reads offline.
 */
public final class HtmlReport {
  private static final String STYLE =
      """
      body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;\
      margin:0 auto;max-width:780px;padding:24px 20px 48px}
      h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;\
      border-bottom:1px solid #d0d7de;padding-bottom:4px}
      .chart{display:block;max-width:100%;height:auto;margin:8px 0}
      .bar.s0,.swatch.s0{fill:#4269d0}.bar.s1,.swatch.s1{fill:#efb118}.swatch.s2{fill:#ff725c}
      .dot{fill:#1f2328;stroke:#fff;stroke-width:1.5}
      .line{fill:none;stroke-width:2}.line.s0{stroke:#4269d0}.line.s1{stroke:#efb118}\
      .line.s2{stroke:#ff725c}
      .point{stroke:#fff;stroke-width:1.5}.point.s0{fill:#4269d0}.point.s1{fill:#efb118}\
      .point.s2{fill:#ff725c}
      .grid{stroke:#e6e8eb}.axis{stroke:#57606a}
      .tick,.category,.legend,.value,.point-label{font-size:12px;fill:#424a53}
      .axis-label{font-size:13px;fill:#1f2328}.value{fill:#1f2328}
      table{border-collapse:collapse;margin:8px 0;font-size:13px}
      .setup th{font-weight:600;white-space:nowrap}
      th,td{border-bottom:1px solid #d0d7de;padding:3px 10px;text-align:left;vertical-align:top}
      td.num{text-align:right;font-variant-numeric:tabular-nums}
      .measured-with{font-size:12px;color:#57606a}.not-measured{color:#9a6700;font-style:italic}
      """;

  private HtmlReport() {}

  /** The page for {@code result}, its costs at {@code prices}. */
  public static String render(BenchResult result, Prices prices) {
    SpeedFigures speed = new SpeedFigures(result);
    ResourceFigures resources = new ResourceFigures(result, prices);
    BenchSetup setup = result.setup();
    StringBuilder page = new StringBuilder(64 * 1024);
    page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>expertflow bench, ")
        .append(Html.escape(setup.rows().get(0).getValue()))
        .append("</title>\n<style>\n")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n<h1>expertflow bench</h1>\n<p class=\"measured-with\">")
        .append(Html.escape(setup.summary()))
        .append("</p>\n");
    String summary = Html.escape(setup.summary());
    section(page, "throughput", "1. Throughput by phase", speed::throughput, summary);
    section(page, "latency", "2. Latency against rate", speed::latency, summary);
    section(page, "lengths", "3. Documents of different lengths", speed::lengths, summary);
    section(page, "batches", "4. Batch sizes and padding", resources::batches, summary);
    section(page, "cpu", "5. CPU by component", resources::cpu, summary);
    section(page, "memory", "6. Worker memory", resources::memory, summary);
    section(page, "cost", "7. Cost per million documents", resources::cost, summary);
    page.append("<section id=\"setup\">\n<h2>8. Setup and how it was measured</h2>\n");
    page.append(Html.definitions(setup.rows()));
    page.append(HOW_MEASURED).append("</section>\n</body>\n</html>\n");
    return page.toString();
  }

  /** Writes the page beside {@code json} ({@code bench.json} gives {@code bench.html}). */
  public static Path writeBeside(Path json, BenchResult result, Prices prices) throws IOException {
    Path html = beside(json);
    Files.writeString(html, render(result, prices), StandardCharsets.UTF_8);
    return html;
  }

  static Path beside(Path json) {
    String name = json.getFileName().toString();
    String base =
        name.toLowerCase(java.util.Locale.ROOT).endsWith(".json")
            ? name.substring(0, name.length() - 5)
            : name;
    return json.resolveSibling(base + ".html");
  }

  private static void section(
      StringBuilder page, String id, String title, Supplier<String> body, String summary) {
    page.append("<section id=\"")
        .append(id)
        .append("\">\n<h2>")
        .append(Html.escape(title))
        .append("</h2>\n")
        .append(body.get())
        .append("<p class=\"measured-with\">Measured with: ")
        .append(summary)
        .append("</p>\n</section>\n");
  }

  private static final String HOW_MEASURED =
      """
      <p>How measured: one JVM runs every phase on the same documents and model, with the broker \
      and the schema registry as child processes up throughout. A sweep first picks the engine's \
      best batch size. Each round then runs, back to back, the <em>ceiling</em> (the engine alone, \
      in-process, on documents already tokenised), the <em>worker</em> (one exactly-once worker \
      through Kafka, timed from its first poll of requests preloaded in one transaction to the \
      commit of its last response) and the <em>naive</em> baseline (a Kafka Streams application \
      running the same model once per record); the median of the rounds counts, since the CPU a \
      shared machine leaves changes from minute to minute. Latency is end to end, from \
      <code>submitted_at</code> until the response is readable by a <code>read_committed</code> \
      reader, under an open-loop feed. CPU seconds come from <code>/proc</code>, thread by \
      thread. Commands, definitions and earlier figures: docs/BENCHMARKS.md.</p>
      """;
}
