package io.expertflow.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The HTML report of a bench run: every figure drawn, the setup beside it, nothing from outside.
 */
class HtmlReportTest {
  private static final List<String> FIGURES =
      List.of("throughput", "latency", "lengths", "batches", "cpu", "memory", "cost");

  private static RenderedPage render(String fixture) {
    return new RenderedPage(HtmlReport.render(Fixtures.result(fixture), Prices.DEFAULTS));
  }

  @Test
  void shouldDrawThePhasesAsMediansWithEachRoundAsADot() {
    RenderedPage page = render(Fixtures.FULL);

    List<Element> bars = page.elements("throughput", "rect", "bar");
    assertThat(bars).hasSize(4);
    assertThat(bars)
        .extracting(b -> b.getTextContent())
        .containsExactly(
            "engine alone (ceiling), median of the rounds: 51.4",
            "expertflow worker, median of the rounds: 46.3",
            "whole pipeline, median of the rounds: 39.8",
            "naive Kafka Streams, median of the rounds: 42.8");
    // heights follow the medians: the worker's bar is 46.30 / 51.42 of the ceiling's
    assertThat(
            RenderedPage.number(bars.get(1), "height") / RenderedPage.number(bars.get(0), "height"))
        .isCloseTo(46.30 / 51.42, within(0.01));
    assertThat(page.elements("throughput", "circle", "dot")).hasSize(9);
    assertThat(page.section("throughput"))
        .contains("worker / ceiling <strong>0.89</strong>")
        .contains("worker / naive <strong>1.06</strong>");
  }

  @Test
  void shouldDrawLatencyAgainstRateWithEachFractionLabelled() {
    RenderedPage page = render(Fixtures.FULL);

    assertThat(page.elements("latency", "polyline", "line")).hasSize(3);
    assertThat(page.elements("latency", "circle", "point")).hasSize(12);
    assertThat(page.elements("latency", "text", "point-label"))
        .extracting(Element::getTextContent)
        .containsExactly("25 %", "50 %", "75 %", "90 %");
    // log scale: p99.9 at 2,210 ms sits above p50 at 420 ms at the same rate
    List<Element> points = page.elements("latency", "circle", "point");
    assertThat(RenderedPage.number(points.get(11), "cy"))
        .isLessThan(RenderedPage.number(points.get(3), "cy"));
    assertThat(page.section("latency")).contains("<td class=\"num\">2,210</td>");
  }

  @Test
  void shouldGroupCeilingAndWorkerByDocumentLength() {
    RenderedPage page = render(Fixtures.FULL);

    assertThat(page.charts("lengths")).hasSize(2);
    assertThat(page.elements("lengths", "rect", "bar")).hasSize(20);
    assertThat(page.elements("lengths", "text", "category"))
        .extracting(Element::getTextContent)
        .containsExactly(
            "1 chunk",
            "4 chunks",
            "16 chunks",
            "32 chunks",
            "mixed",
            "1 chunk",
            "4 chunks",
            "16 chunks",
            "32 chunks",
            "mixed");
  }

  @Test
  void shouldDrawBatchesPaddingCpuMemoryAndCost() {
    RenderedPage page = render(Fixtures.FULL);

    assertThat(page.elements("batches", "rect", "bar")).hasSize(4 + 2);
    List<Element> cpu = page.elements("cpu", "rect", "bar");
    assertThat(cpu).hasSize(7);
    assertThat(cpu.get(0).getTextContent()).startsWith("benchmark: worker-encoder: 39.6");
    assertThat(cpu.get(6).getTextContent()).startsWith("other threads");
    assertThat(page.elements("memory", "rect", "bar")).hasSize(2);
    assertThat(page.elements("cost", "rect", "bar")).hasSize(4);
    // 2 cores at $0.04 an hour for 10^6 / 46.30 s
    assertThat(page.section("cost")).contains("<td class=\"num\">$0.480</td>");
  }

  @Test
  void shouldNameTheSetupUnderEveryFigure() {
    RenderedPage page = render(Fixtures.FULL);

    for (String figure : FIGURES) {
      assertThat(page.section(figure))
          .as(figure)
          .contains("Measured with: 2 cores · Linux 6.1.0 amd64 · Java 17.0.13 · heap 4.0 GiB")
          .contains("device cpu")
          .contains("commit 0123456789ab")
          .contains("load 1.0 → 2.5")
          .contains("2026-12-05T10:15:30.123Z")
          .doesNotContain("not measured");
    }
    assertThat(page.section("setup")).contains("0123456789abcdef0123456789abcdef01234567");
  }

  @Test
  void shouldEscapeWhatTheRunRecorded() {
    String html = render(Fixtures.FULL).html();

    assertThat(html)
        .contains("tenant.label=&lt;b&gt;R&amp;D&lt;/b&gt; &quot;quoted&quot;")
        .doesNotContain("<b>R&D</b>")
        .doesNotContain("\"quoted\"");
  }

  @Test
  void shouldNoteWhatAnOlderRunDidNotMeasure() {
    RenderedPage page = render(Fixtures.BEFORE_SWEEPS);

    assertThat(page.elements("throughput", "rect", "bar")).hasSize(3);
    assertThat(page.elements("throughput", "circle", "dot")).hasSize(9);
    assertThat(page.section("throughput"))
        .contains("The whole pipeline (intake, worker and compliance): not measured in this run.");
    assertThat(page.section("latency"))
        .contains("The sweep over arrival rates: not measured in this run.")
        .contains("<td class=\"num\">23.15</td>");
    assertThat(page.charts("latency")).isEmpty();
    assertThat(page.section("lengths")).contains("not measured in this run");
    assertThat(page.charts("lengths")).isEmpty();
    assertThat(page.section("batches"))
        .contains("The histogram of the worker&#39;s batch sizes: not measured in this run.")
        .contains("The ceiling&#39;s padding waste: not measured in this run.");
    assertThat(page.elements("batches", "rect", "bar")).hasSize(1);
    assertThat(page.section("cpu")).contains("CPU by component: not measured in this run.");
    assertThat(page.elements("cpu", "rect", "bar")).hasSize(2);
    assertThat(page.section("memory")).contains("not measured in this run");
    assertThat(page.elements("cost", "rect", "bar")).hasSize(3);
  }

  @Test
  void shouldLoadNothingFromElsewhere() {
    for (String fixture : List.of(Fixtures.FULL, Fixtures.BEFORE_SWEEPS)) {
      String html = render(fixture).html().toLowerCase(java.util.Locale.ROOT);

      assertThat(html)
          .as(fixture)
          .startsWith("<!doctype html>")
          .doesNotContain("<script")
          .doesNotContain("src=")
          .doesNotContain("href=")
          .doesNotContain("url(")
          .doesNotContain("@import")
          .doesNotContain("http:")
          .doesNotContain("https:")
          .doesNotContain("<link")
          .doesNotContain("<img");
    }
  }

  @Test
  void shouldWriteThePageBesideItsJson() {
    assertThat(HtmlReport.beside(java.nio.file.Path.of("runs", "bench.json")))
        .isEqualTo(java.nio.file.Path.of("runs", "bench.html"));
    assertThat(HtmlReport.beside(java.nio.file.Path.of("old.JSON")))
        .isEqualTo(java.nio.file.Path.of("old.html"));
  }
}
