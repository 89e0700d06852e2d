package io.expertflow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SvgChartTest {

  @Test
  void shouldMoveTheCaptionOfAShortPhaseBelowTheOneBeforeIt() {
    List<SvgChart.Band> bands =
        List.of(
            new SvgChart.Band(0, 28, "bulk"),
            new SvgChart.Band(28, 33, "week"),
            new SvgChart.Band(33, 34, "feedback"),
            new SvgChart.Band(34, 42, "update"),
            new SvgChart.Band(42, 56, "after"));

    String svg =
        SvgChart.points(List.of(new SvgChart.Point(1, 1, "#000")), bands, "seconds", "ms", false);

    assertThat(svg).containsPattern("y='\\d+' font-size='10' fill='#555'>feedback<");
    String feedbackY = captionY(svg, "feedback");
    String updateY = captionY(svg, "update");
    assertThat(updateY).isNotEqualTo(feedbackY);
    assertThat(captionY(svg, "bulk")).isEqualTo(captionY(svg, "after"));
  }

  private static String captionY(String svg, String caption) {
    int end = svg.indexOf(">" + caption + "<");
    int y = svg.lastIndexOf("y='", end);
    return svg.substring(y + 3, svg.indexOf('\'', y + 3));
  }
}
