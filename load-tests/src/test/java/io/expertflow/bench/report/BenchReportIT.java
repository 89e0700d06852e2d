package io.expertflow.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.testsupport.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The report of a run with every figure, opened from its file in headless Chromium: every chart is
 * laid out with a size, every bar and point is drawn, every axis says what it measures, and the
 * style sheet inside the page applies. Screenshots go to {@code target/bench-report/}: the first
 * screen at 1280 pixels wide, and the whole page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchReportIT {
  private static final Path SCREENSHOTS = Path.of("target", "bench-report");
  private ChromeDriver browser;

  @BeforeAll
  void open(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("bench.json");
    Files.writeString(json, Fixtures.json(Fixtures.FULL).toPrettyString());
    Path html = HtmlReport.writeBeside(json, BenchResult.read(json), Prices.DEFAULTS);
    browser = HeadlessChromium.start(dir, 1280, 1600);
    browser.get(html.toUri().toString());
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  void close() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void shouldLayOutEveryChartWithASize() {
    List<WebElement> charts = browser.findElements(By.cssSelector("svg.chart"));

    // throughput, latency, 2 lengths, batch histogram, padding, cpu, memory, cost
    assertThat(charts).hasSize(9);
    for (WebElement chart : charts) {
      Rectangle box = chart.getRect();
      assertThat(box.getWidth()).as(chart.getAttribute("innerHTML")).isGreaterThan(100);
      assertThat(box.getHeight()).as(chart.getAttribute("innerHTML")).isGreaterThan(40);
    }
  }

  @Test
  void shouldDrawEveryBarAndPointWithTheStyleInsideThePage() {
    List<WebElement> bars = browser.findElements(By.cssSelector("rect.bar"));
    List<WebElement> points = browser.findElements(By.cssSelector("circle.point, circle.dot"));

    assertThat(bars).hasSize(4 + 20 + 4 + 2 + 7 + 2 + 4);
    for (WebElement bar : bars) {
      Rectangle box = bar.getRect();
      assertThat(box.getWidth()).as(bar.getText()).isPositive();
      assertThat(box.getHeight()).as(bar.getText()).isPositive();
    }
    assertThat(points).hasSize(12 + 9);
    assertThat(points).allSatisfy(p -> assertThat(p.getRect().getWidth()).isPositive());
    assertThat(bars.get(0).getCssValue("fill")).isEqualTo("rgb(66, 105, 208)");
    assertThat(browser.findElement(By.cssSelector("polyline.line.s1")).getCssValue("stroke"))
        .isEqualTo("rgb(239, 177, 24)");
  }

  @Test
  void shouldLabelTheAxesInVisibleText() {
    List<String> labels =
        browser.findElements(By.cssSelector("text.axis-label")).stream()
            .filter(WebElement::isDisplayed)
            .map(WebElement::getText)
            .toList();

    assertThat(labels)
        .contains(
            "documents/s",
            "latency, ms (log scale)",
            "achieved documents/s",
            "chunks/s",
            "batches",
            "CPU seconds",
            "MiB",
            "US dollars per million documents");
    List<String> ticks =
        browser.findElements(By.cssSelector("#latency text.tick")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(ticks).contains("10", "100", "1,000", "10,000");
  }

  @Test
  void shouldSaveScreenshotsOfTheReport() throws Exception {
    Path first = SCREENSHOTS.resolve("bench-report.png");
    Files.copy(
        browser.getScreenshotAs(OutputType.FILE).toPath(),
        first,
        StandardCopyOption.REPLACE_EXISTING);
    Map<String, Object> whole =
        browser.executeCdpCommand(
            "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
    Path full = SCREENSHOTS.resolve("bench-report-full.png");
    Files.write(full, Base64.getDecoder().decode((String) whole.get("data")));

    assertThat(first).isNotEmptyFile();
    assertThat(Files.size(full)).isGreaterThan(Files.size(first));
  }
}
