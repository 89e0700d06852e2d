package io.expertflow.streams.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.streams.jobs.AnswerTimeline;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsolePiecesTest {

  @Test
  void shouldEscapeEverythingThatCouldOpenMarkup() {
    assertThat(Html.esc("<script>alert('x')</script> & \"q\""))
        .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    assertThat(Html.url("job a/b")).isEqualTo("job%20a%2Fb");
  }

  @Test
  void shouldTakeOnlyLoopbackNamesAsTheConsolesHost() {
    assertThat(ConsoleAccess.loopbackName("localhost")).isTrue();
    assertThat(ConsoleAccess.loopbackName("127.0.0.1")).isTrue();
    assertThat(ConsoleAccess.loopbackName("[::1]")).isTrue();
    assertThat(ConsoleAccess.loopbackName("console.localhost")).isTrue();
    assertThat(ConsoleAccess.loopbackName("evil.example")).isFalse();
    assertThat(ConsoleAccess.loopbackName("127.0.0.1.evil.example")).isFalse();
  }

  @Test
  void shouldReadFormsFirstValueWinsBlankIsAbsentAndRefuseHugeBodies() throws Exception {
    FormData form = FormData.parse("request_id=a%2Fb&label=&reviewer=Ana+R&reviewer=Bob");

    assertThat(form.get("request_id")).isEqualTo("a/b");
    assertThat(form.get("label")).isNull();
    assertThat(form.get("reviewer")).isEqualTo("Ana R");
    assertThat(form.get("missing")).isNull();
    byte[] huge = ("x=" + "a".repeat(FormData.MAX_BYTES)).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> FormData.read(new ByteArrayInputStream(huge)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void shouldDrawOneBarPerBucketAndSayTheRatesInWords() {
    String svg =
        ThroughputChart.svg(new AnswerTimeline(1_000, Map.of(0L, 2L, 1_000L, 4L, 3_000L, 1L)));

    assertThat(svg.split("<title>", -1)).hasSize(4);
    assertThat(svg).contains("7 answers").contains("at most 4.00 documents/s");
    assertThat(ThroughputChart.svg(new AnswerTimeline(1_000, Map.of()))).contains("No answers");
  }
}
