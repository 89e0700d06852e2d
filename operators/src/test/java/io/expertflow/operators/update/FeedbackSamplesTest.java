package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.AttributedFeedback;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeedbackSamplesTest {
  private static final List<String> LABELS = List.of("ham", "spam", "news");

  @Test
  void shouldTakeTheCorrectedLabelOrThePredictedOneOfPositiveFeedback() {
    FeedbackSamples samples =
        FeedbackSamples.from(
            List.of(
                record("f1", 0, "ham", "spam", true),
                record("f2", 1, "news", null, false),
                record("f3", 0, "ham", null, true)),
            LABELS,
            2);

    assertThat(samples.samples())
        .extracting(FeedbackSample::id, FeedbackSample::label)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("f1", 1),
            org.assertj.core.groups.Tuple.tuple("f2", 2));
    assertThat(samples.skipped()).containsEntry(FeedbackSamples.SKIPPED_NO_LABEL, 1);
  }

  @Test
  void shouldNameTheFeedbackUserByItsSourceAndFeedbackWithoutOneAsOneAnonymousUser() {
    AttributedFeedback bob =
        AttributedFeedback.newBuilder(record("f1", 0, "ham", "spam", true))
            .setSource("bob")
            .build();
    AttributedFeedback nobody = record("f2", 0, "ham", "spam", true);

    FeedbackSamples samples = FeedbackSamples.from(List.of(bob, nobody), LABELS, 2);

    assertThat(samples.samples())
        .extracting(FeedbackSample::user)
        .containsExactly("bob", io.expertflow.operators.privacy.FeedbackUsers.ANONYMOUS);
  }

  @Test
  void shouldKeepTheResponsesTfIdfEvidenceOverTheHeadsLabels() {
    // answered by a version with two labels; the head now has a third, which it lacks evidence for
    AttributedFeedback served =
        AttributedFeedback.newBuilder(record("f1", 0, "ham", "spam", true))
            .setLexicalEvidence(List.of(-3f, -0.25f))
            .build();
    AttributedFeedback headAlone = record("f2", 0, "ham", "spam", true);

    FeedbackSamples samples = FeedbackSamples.from(List.of(served, headAlone), LABELS, 2);

    double[] evidence = samples.samples().get(0).evidence();
    assertThat(evidence).hasSize(LABELS.size());
    assertThat(evidence[0]).isEqualTo(-3.0);
    assertThat(evidence[1]).isEqualTo(-0.25);
    assertThat(evidence[2]).isNaN();
    assertThat(samples.samples().get(1).evidence()).isEmpty();
  }

  @Test
  void shouldKeepOneSamplePerFeedbackEventAcrossItsExperts() {
    FeedbackSamples samples =
        FeedbackSamples.from(
            List.of(record("f1", 0, "ham", "spam", true), record("f1", 7, "ham", "spam", true)),
            LABELS,
            2);

    assertThat(samples.samples()).hasSize(1);
    assertThat(samples.events()).isEqualTo(1);
    assertThat(samples.skipped()).isEmpty();
  }

  @Test
  void shouldCountAnEventLeftOutOnceHoweverManyExpertsItWasAttributedTo() {
    AttributedFeedback first = record("f1", 0, "ham", "spam", true);
    first.setEmbedding(List.of());
    AttributedFeedback second = record("f1", 7, "ham", "spam", true);
    second.setEmbedding(List.of());

    FeedbackSamples samples =
        FeedbackSamples.from(
            List.of(first, second, record("f2", 0, "ham", "spam", true)), LABELS, 2);

    assertThat(samples.samples()).extracting(FeedbackSample::id).containsExactly("f2");
    assertThat(samples.events()).isEqualTo(2);
    assertThat(samples.skipped())
        .containsExactly(Map.entry(FeedbackSamples.SKIPPED_NO_EMBEDDING, 1));
  }

  @Test
  void shouldSkipRecordsWithoutEmbeddingOrWithAnUnknownLabel() {
    AttributedFeedback noEmbedding = record("f1", 0, "ham", "spam", true);
    noEmbedding.setEmbedding(List.of());

    FeedbackSamples samples =
        FeedbackSamples.from(
            List.of(noEmbedding, record("f2", 0, "ham", "weather", true)), LABELS, 2);

    assertThat(samples.samples()).isEmpty();
    assertThat(samples.skipped())
        .containsEntry(FeedbackSamples.SKIPPED_NO_EMBEDDING, 1)
        .containsEntry(FeedbackSamples.SKIPPED_UNKNOWN_LABEL, 1);
  }

  @Test
  void shouldLearnOnlyFromEmbeddingsOfTheHeadsEncoderAndThoseThatNameNone() {
    AttributedFeedback mine =
        AttributedFeedback.newBuilder(record("f1", 0, "ham", "spam", true))
            .setEncoderId("minilm@1111")
            .build();
    AttributedFeedback earlierBundle =
        AttributedFeedback.newBuilder(record("f2", 0, "ham", "spam", true))
            .setEncoderId("bge@2222")
            .build();
    AttributedFeedback unnamed = record("f3", 0, "ham", "news", true);
    List<AttributedFeedback> all = List.of(mine, earlierBundle, unnamed);

    FeedbackSamples samples = FeedbackSamples.from(all, LABELS, 2, "minilm@1111");

    assertThat(samples.samples()).extracting(FeedbackSample::id).containsExactly("f1", "f3");
    assertThat(samples.skipped())
        .containsExactly(Map.entry(FeedbackSamples.SKIPPED_OTHER_ENCODER, 1));
    assertThat(FeedbackSamples.from(all, LABELS, 2).samples())
        .as("no encoder given: every encoder's")
        .hasSize(3);
    assertThat(all.stream().filter(f -> FeedbackSamples.ofEncoder(f, "bge@2222")))
        .containsExactly(earlierBundle, unnamed);
  }

  @Test
  void shouldWeighAFloodOfFeedbackOnOneRequestAsOneDocumentTheLatestWinning() {
    List<AttributedFeedback> flood = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      flood.add(
          AttributedFeedback.newBuilder(record("f-" + i, 3, "ham", "spam", true))
              .setRequestId("r-flooded")
              .setEventTime(Instant.EPOCH.plusSeconds(i))
              .build());
    }
    flood.add(
        AttributedFeedback.newBuilder(record("f-last", 3, "ham", "news", true))
            .setRequestId("r-flooded")
            .setEventTime(Instant.EPOCH.plusSeconds(100))
            .build());
    flood.add(record("other", 3, "ham", "spam", true));

    FeedbackSamples samples = FeedbackSamples.from(flood, LABELS, 2);

    assertThat(samples.samples()).extracting(FeedbackSample::id).containsExactly("f-last", "other");
    assertThat(samples.samples().get(0).label()).isEqualTo(LABELS.indexOf("news"));
    assertThat(samples.skipped()).containsEntry(FeedbackSamples.SKIPPED_SUPERSEDED, 50);
  }

  @Test
  void shouldSplitTheSameWayWhateverTheOrder() {
    List<FeedbackSample> samples = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      samples.add(new FeedbackSample("id-" + i, new float[] {i, 0}, i % 2));
    }
    List<FeedbackSample> shuffled = new ArrayList<>(samples);
    Collections.shuffle(shuffled, new Random(1));

    FeedbackSplit a = FeedbackSplit.of(samples, 0.25);
    FeedbackSplit b = FeedbackSplit.of(shuffled, 0.25);

    assertThat(a.holdout()).hasSize(10).isEqualTo(b.holdout());
    assertThat(a.train()).hasSize(30).isEqualTo(b.train()).doesNotContainAnyElementsOf(a.holdout());
    // stratified: each label gives the same share
    assertThat(a.holdout()).filteredOn(s -> s.label() == 0).hasSize(5);
  }

  private static AttributedFeedback record(
      String id, int expert, String predicted, String corrected, boolean negative) {
    return AttributedFeedback.newBuilder()
        .setFeedbackId(id)
        .setRequestId("r-" + id)
        .setExpert(expert)
        .setGateWeight(0.5f)
        .setModelVersion("v")
        .setPredictedLabel(predicted)
        .setCorrectedLabel(corrected)
        .setNegative(negative)
        .setEmbedding(List.of(0.6f, 0.8f))
        .setEventTime(Instant.EPOCH)
        .build();
  }
}
