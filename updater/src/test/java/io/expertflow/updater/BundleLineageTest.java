package io.expertflow.updater;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.operators.feedback.ExpertStatsAggregator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleLineageTest {
  private static final Instant START = Instant.parse("2026-11-30T00:00:00Z");
  private static final Instant END = START.plus(Duration.ofDays(7));

  private final BundleLineage lineage =
      BundleLineage.of(
          "b-000000000001",
          "sha-of-this-bundle",
          List.of(
              version("u20261123-aaaaaaaaaaaa", "sha-of-this-bundle"),
              version("u20261116-bbbbbbbbbbbb", "sha-of-an-earlier-training")));

  @Test
  void shouldHoldTheBundlesVersionAndTheVersionsBuiltOnIt() {
    assertThat(lineage.versions())
        .containsExactlyInAnyOrder("b-000000000001", "u20261123-aaaaaaaaaaaa");
  }

  @Test
  void shouldKeepTheTopicsStatisticsWhenEveryRecordRatedThisBundle() {
    List<AttributedFeedback> feedback =
        List.of(
            feedback("f1", 3, "b-000000000001", true, "a", "b"),
            feedback("f2", 3, "u20261123-aaaaaaaaaaaa", false, "a", null));
    List<ExpertWindowStats> topic = folded(feedback);

    BundleLineage.Stats stats =
        lineage.statsOf(new WindowBuffer.ClosedWindow(START, END, topic, feedback));

    assertThat(stats.stats()).isEqualTo(topic);
    assertThat(stats.otherBundles()).isZero();
  }

  @Test
  void shouldCountOnlyThisBundlesAnswersWhenAWeekMixesBundles() {
    List<AttributedFeedback> ours =
        List.of(
            feedback("f1", 3, "b-000000000001", true, "a", "b"),
            feedback("f2", 3, "b-000000000001", false, "a", null),
            feedback("f3", 5, "u20261123-aaaaaaaaaaaa", true, "b", "a"));
    List<AttributedFeedback> earlier =
        List.of(
            feedback("e1", 3, "b-999999999999", true, "c", "a"),
            feedback("e2", 3, "u20261116-bbbbbbbbbbbb", true, "c", "a"),
            feedback("e3", 9, "b-999999999999", true, "c", "b"));
    List<AttributedFeedback> all = new ArrayList<>(ours);
    all.addAll(earlier);

    BundleLineage.Stats stats =
        lineage.statsOf(new WindowBuffer.ClosedWindow(START, END, folded(all), all));

    assertThat(stats.otherBundles()).isEqualTo(3);
    List<ExpertWindowStats> expected = new ArrayList<>(folded(ours));
    // expert 9 served only the earlier training's answers: it stays, with nothing counted
    expected.add(
        ExpertStatsAggregator.close(ExpertStatsAggregator.empty(), 9, millis(START), millis(END)));
    assertThat(stats.stats()).isEqualTo(expected);
    assertThat(stats.stats().get(0).getCount()).isEqualTo(2);
    assertThat(stats.stats().get(0).getNegatives()).isEqualTo(1);
    assertThat(stats.stats().get(0).getModelVersions()).containsExactly("b-000000000001");
    assertThat(stats.stats().get(2).getCount()).isZero();
  }

  /** What the statistics topology writes for these records: one record per expert, in order. */
  private static List<ExpertWindowStats> folded(List<AttributedFeedback> feedback) {
    return feedback.stream()
        .map(AttributedFeedback::getExpert)
        .distinct()
        .sorted()
        .map(
            expert -> {
              ExpertWindowStats s = ExpertStatsAggregator.empty();
              for (AttributedFeedback f : feedback) {
                if (f.getExpert() == expert) {
                  s = ExpertStatsAggregator.add(s, f);
                }
              }
              return ExpertStatsAggregator.close(s, expert, millis(START), millis(END));
            })
        .toList();
  }

  private static long millis(Instant t) {
    return t.toEpochMilli();
  }

  private static AttributedFeedback feedback(
      String id, int expert, String version, boolean negative, String predicted, String corrected) {
    return AttributedFeedback.newBuilder()
        .setFeedbackId(id)
        .setRequestId(id)
        .setExpert(expert)
        .setGateWeight(0.5f)
        .setModelVersion(version)
        .setPredictedLabel(predicted)
        .setCorrectedLabel(corrected)
        .setNegative(negative)
        .setEmbedding(List.of())
        .setEventTime(START.plusSeconds(60))
        .build();
  }

  private static ModelVersion version(String id, String baseSha) {
    return ModelVersion.newBuilder()
        .setModelName("m")
        .setVersion(id)
        .setBaseBundleSha256(baseSha)
        .setState(ModelVersionState.PUBLISHED)
        .setExpertVersions(Map.of())
        .setWindowStart(0L)
        .setCreatedAt(Instant.EPOCH)
        .build();
  }
}
