package io.expertflow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoReportTest {
  @Test
  void shouldBeOneSelfContainedPageWithEveryChart() {
    RunTimeline timeline = new RunTimeline(0);
    timeline.latency(1_000_000_000L, 250, "bulk");
    timeline.latency(2_000_000_000L, 400, "after");
    timeline.batch(1_500_000_000L, 28.0);
    timeline.phase("bulk", 0, 1_800_000_000L);
    DemoSummary s = DemoSummaryTest.summary();
    DemoOutcome outcome =
        new DemoOutcome(
            s, null, null, DemoSummaryTest.update(), null, timeline, Map.of(0, 3L, 5, 1L));

    String html = DemoReport.html(outcome);

    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>");
    assertThat(html.split("<svg", -1)).hasSize(5); // accuracy, latency, batches, expert load
    assertThat(html).doesNotContain("http:").doesNotContain("https:").doesNotContain("<script");
    assertThat(html).contains("Accuracy before and after").contains("Expert load");
    assertThat(html).contains("model_version_after").contains("u20261119-abc");
  }

  @Test
  void shouldSayWhichLabelThePublishedUpdateAdded() {
    DemoSummary s = DemoSummaryTest.summary();
    WeekResult week =
        new WeekResult(
            DemoSummaryTest.phase("week", 40, 0, 0, "1"),
            40,
            40,
            4,
            FeedbackWeek.before(
                java.time.Instant.now(),
                java.time.Duration.ofDays(7),
                java.time.Duration.ofDays(1)));
    DemoOutcome outcome =
        new DemoOutcome(
            s, null, week, DemoSummaryTest.update(), null, new RunTimeline(0), Map.of(0, 3L));

    String html = DemoReport.html(outcome);

    assertThat(html)
        .contains("The model was trained without the &#39;learned&#39; label")
        .contains("published version u20261119-abc, which adds &#39;learned&#39; to the label set");
  }

  @Test
  void shouldEscapeTextThatCouldBreakThePage() {
    assertThat(SvgChart.esc("<b>'x' & y</b>")).isEqualTo("&lt;b&gt;&#39;x&#39; &amp; y&lt;/b&gt;");
  }

  @Test
  void shouldLinkToTheConsoleWhileTheDemoRuns(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("report.html");

    DemoReport.writeRunning(java.util.Optional.of("http://127.0.0.1:41234/console/"), file);

    assertThat(java.nio.file.Files.readString(file))
        .contains("<a href='http://127.0.0.1:41234/console/'>")
        .contains("replaced by the report")
        .doesNotContain("<script");
  }
}
