package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.avro.FeedbackEvent;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedbackCommandTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  @Test
  void shouldReadFeedbackFromJsonLines() throws Exception {
    String lines =
        "{\"request_id\":\"r1\",\"rating\":-1,\"corrected_label\":\"spam\",\"source\":\"ann\","
            + "\"event_time\":\"2026-11-20T10:00:00Z\",\"feedback_id\":\"f1\"}\n"
            + "\n"
            + "{\"request_id\":\"r2\",\"rating\":1,\"event_time\":1763632800000}\n";

    List<FeedbackEvent> events = FeedbackEvents.parseLines(new StringReader(lines), "f", NOW);

    assertThat(events).hasSize(2);
    assertThat(events.get(0).getCorrectedLabel()).isEqualTo("spam");
    assertThat(events.get(0).getRating()).isEqualTo(-1);
    assertThat(events.get(0).getFeedbackId()).isEqualTo("f1");
    assertThat(events.get(0).getEventTime()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
    assertThat(events.get(1).getEventTime()).isEqualTo(Instant.ofEpochMilli(1763632800000L));
    assertThat(events.get(1).getFeedbackId()).isNotBlank();
  }

  @Test
  void shouldGiveLinesThatNameNoSourceTheSourceFlagsOne() throws Exception {
    String lines =
        "{\"request_id\":\"r1\",\"rating\":-1,\"source\":\"bob\"}\n"
            + "{\"request_id\":\"r2\",\"rating\":1}\n";

    assertThat(FeedbackEvents.parseLines(new StringReader(lines), "f", NOW, "ann"))
        .extracting(FeedbackEvent::getSource)
        .containsExactly("bob", "ann");
  }

  @Test
  void shouldDeriveTheIdOfFeedbackThatNamesNoneFromWhatItSays() throws Exception {
    String lines =
        "{\"request_id\":\"r1\",\"corrected_label\":\"spam\",\"source\":\"ann\"}\n"
            + "{\"request_id\":\"r1\",\"corrected_label\":\"spam\",\"source\":\"ann\"}\n"
            + "{\"request_id\":\"r1\",\"corrected_label\":\"spam\",\"source\":\"bob\"}\n"
            + "{\"request_id\":\"r1\",\"corrected_label\":\"ham\",\"source\":\"ann\"}\n"
            + "{\"request_id\":\"r2\",\"corrected_label\":\"spam\",\"source\":\"ann\"}\n"
            + "{\"request_id\":\"r1\",\"rating\":-1,\"corrected_label\":\"spam\","
            + "\"source\":\"ann\"}\n"
            + "{\"request_id\":\"r1\",\"corrected_label\":\"spam\",\"feedback_id\":\"mine\"}\n";

    List<String> ids =
        FeedbackEvents.parseLines(new StringReader(lines), "f", NOW).stream()
            .map(e -> e.getFeedbackId().toString())
            .toList();

    assertThat(ids.get(0)).as("the same feedback sent twice: one id").isEqualTo(ids.get(1));
    assertThat(ids.subList(1, 6))
        .as("another source, label, request or rating")
        .doesNotHaveDuplicates();
    assertThat(ids.get(6)).isEqualTo("mine");
    assertThat(FeedbackEvents.event(null, "r1", null, "spam", "ann", NOW).getFeedbackId())
        .as("given with flags, the same as from a file")
        .isEqualTo(ids.get(0));
  }

  @Test
  void shouldNameTheLineThatIsWrong() {
    String lines = "{\"request_id\":\"r1\",\"rating\":1}\n{\"request_id\":\"r2\"}\n";

    assertThatThrownBy(() -> FeedbackEvents.parseLines(new StringReader(lines), "in.jsonl", NOW))
        .hasMessageContaining("in.jsonl line 2")
        .hasMessageContaining("rating");
  }

  @Test
  void shouldRefuseARatingOutsideMinusOneToOne() {
    assertThatThrownBy(() -> FeedbackEvents.event(null, "r1", 5, null, null, NOW))
        .hasMessageContaining("rating must be -1, 0 or 1, was 5");
  }

  @Test
  void shouldRefuseARatingOrLabelOfATypeItWouldMisread() {
    String[][] cases = {
      {"{\"request_id\":\"r1\",\"rating\":\"good\"}", "rating must be -1, 0 or 1, not a string"},
      {"{\"request_id\":\"r1\",\"rating\":0.9}", "rating must be -1, 0 or 1, not a decimal number"},
      {"{\"request_id\":\"r1\",\"rating\":true}", "rating must be -1, 0 or 1, not true/false"},
      {
        "{\"request_id\":\"r1\",\"corrected_label\":[\"a\"]}",
        "corrected_label must be a string, not an array"
      },
      {"{\"request_id\":{\"id\":1},\"rating\":1}", "request_id must be a string, not an object"}
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> FeedbackEvents.parseLines(new StringReader(c[0]), "in.jsonl", NOW))
          .as(c[0])
          .hasMessage("in.jsonl line 1: " + c[1]);
    }
  }

  @Test
  void shouldRefuseALineThatGivesAFieldTwiceRatherThanKeepTheLastValue() {
    String lines =
        "{\"request_id\":\"r1\",\"rating\":1}\n{\"request_id\":\"r2\",\"rating\":1,\"rating\":-1}\n";

    assertThatThrownBy(() -> FeedbackEvents.parseLines(new StringReader(lines), "in.jsonl", NOW))
        .hasMessageStartingWith("in.jsonl line 2: ")
        .hasMessageContaining("a field is given twice in one object");
  }

  @Test
  void shouldRefuseABadEventTimeWithAnExample() {
    String lines = "{\"request_id\":\"r1\",\"rating\":1,\"event_time\":\"yesterday\"}\n";

    assertThatThrownBy(() -> FeedbackEvents.parseLines(new StringReader(lines), "x", NOW))
        .hasMessageContaining("'yesterday' is not ISO-8601");
  }

  @Test
  void shouldRefuseBeforeSendingWhatTheStreamsAppWouldDeadLetter() {
    String lines =
        "{\"request_id\":\"r1\",\"corrected_label\":\"news\"}\n"
            + "{\"request_id\":\"r2\",\"corrected_label\":\"news \"}\n";

    assertThatThrownBy(() -> FeedbackEvents.parseLines(new StringReader(lines), "in.jsonl", NOW))
        .hasMessageContaining("in.jsonl line 2")
        .hasMessageContaining("corrected_label")
        .hasMessageContaining("white space");
    assertThatThrownBy(() -> FeedbackEvents.event(null, "r1", null, "a\tb", null, NOW))
        .hasMessageContaining("control character");
    assertThatThrownBy(
            () -> FeedbackEvents.event(null, "r1", 1, null, null, Instant.ofEpochMilli(0)))
        .hasMessageContaining("event_time is 0");
  }
}
