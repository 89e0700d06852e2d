package io.expertflow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoSummaryTest {
  static PhaseResult phase(String name, int submitted, int correct, int newCorrect, String v) {
    return new PhaseResult(
        name,
        submitted,
        submitted,
        0,
        0,
        submitted,
        correct,
        10,
        newCorrect,
        100,
        900,
        10.0,
        Map.of(v, submitted));
  }

  static UpdateOutcome update() {
    ModelVersion record =
        ModelVersion.newBuilder()
            .setModelName("expertflow-demo")
            .setVersion("u20261119-abc")
            .setParentVersion("1")
            .setBaseBundleSha256("sha")
            .setState(ModelVersionState.PUBLISHED)
            .setChangedExperts(List.of(3, 7))
            .setExpertVersions(Map.of())
            .setAddedLabels(List.of("learned"))
            .setParametersChanged(836)
            .setParametersTotal(1_699_136)
            .setWindowStart(Instant.parse("2026-11-19T00:00:00Z").toEpochMilli())
            .setMetricsBefore(Map.of("guard_accuracy", 0.52))
            .setMetricsAfter(Map.of("guard_accuracy", 0.519))
            .setReason("published")
            .setCreatedAt(Instant.parse("2026-11-28T00:00:00Z"))
            .build();
    return new UpdateOutcome(record, 3.0, 4.0);
  }

  static DemoSummary summary() {
    FeedbackWeek week = FeedbackWeek.before(Instant.now(), Duration.ofDays(7), Duration.ofDays(1));
    return DemoSummary.of(
        phase("bulk", 40, 20, 0, "1"),
        new WeekResult(phase("week", 40, 0, 0, "1"), 40, 40, 4, week),
        update(),
        phase("after", 40, 24, 4, "u20261119-abc"),
        0,
        0,
        "learned",
        28.5,
        "cpu",
        "1",
        120.0);
  }

  @Test
  void shouldWriteEveryHeadlineFigure() {
    JsonNode json = summary().toJson();

    assertThat(json.fieldNames())
        .toIterable()
        .contains(
            "submitted",
            "responses",
            "dead_letters",
            "lost",
            "duplicates",
            "accuracy",
            "accuracy_after_update",
            "p50_ms",
            "p99_ms",
            "docs_per_s",
            "device",
            "model_version_before",
            "model_version_after");
    assertThat(json.get("submitted").asLong()).isEqualTo(120);
    assertThat(json.get("accuracy").asDouble()).isEqualTo(0.5);
    assertThat(json.get("accuracy_after_update").asDouble()).isEqualTo(0.6);
    assertThat(json.get("new_label_accuracy_after_update").asDouble()).isEqualTo(0.4);
    assertThat(json.get("model_version_after").asText()).isEqualTo("u20261119-abc");
    assertThat(json.get("guard_accuracy_after_update").asDouble()).isEqualTo(0.519);
    assertThat(json.get("added_labels").get(0).asText()).isEqualTo("learned");
  }

  @Test
  void shouldSayInTheTableWhatTheUpdateChanged() {
    String table = summary().table();

    assertThat(table)
        .contains("accuracy after update  60.0 %")
        .contains("'learned' documents")
        .contains("the update added it")
        .contains("PUBLISHED: 2 experts")
        .contains("1 -> u20261119-abc");
  }

  @Test
  void shouldLeaveUpdateFiguresEmptyWithoutAWeek() {
    DemoSummary s =
        DemoSummary.of(phase("bulk", 5, 5, 0, "1"), null, null, null, 0, 0, null, 1, "cpu", "1", 1);

    assertThat(s.toJson().get("accuracy_after_update").isNull()).isTrue();
    assertThat(s.toJson().get("model_version_after").isNull()).isTrue();
    assertThat(s.toJson().get("added_labels")).isEmpty();
    assertThat(s.exactlyOnce()).isTrue();
  }
}
