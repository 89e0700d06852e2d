package io.expertflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.lexical.LexicalFeatures;
import io.expertflow.model.lexical.LexicalModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfIdfBaselineTest {
  private static final List<String> LABELS = List.of("bites", "bitten");

  @Test
  void shouldServeTheSameProbabilitiesFromItsFileAsWhenFitted(@TempDir Path dir) {
    TfIdfBaseline model = TfIdfBaseline.fit(documents(0, 60), documents(60, 20), LABELS, 42);
    Path file = dir.resolve(LexicalModel.FILE);
    model.served(0.25).write(file);

    LexicalModel served = LexicalModel.read(file);

    assertThat(served.labels()).isEqualTo(LABELS);
    assertThat(served.weight()).isEqualTo(0.25);
    assertThat(served.features()).isEqualTo(model.features());
    for (LabeledDocument d : documents(80, 40)) {
      assertThat(served.probabilities(d.text())).containsExactly(model.probabilities(d.text()));
    }
  }

  @Test
  void shouldTellApartLabelsThatUseTheSameWordsInAnotherOrder() {
    // both labels draw the same words equally often: only the word pairs tell them apart
    TfIdfBaseline model = TfIdfBaseline.fit(documents(0, 60), documents(60, 20), LABELS, 42);

    ClassificationMetrics test = model.evaluate(documents(80, 40));

    assertThat(test.accuracy()).isGreaterThan(0.9);
  }

  @Test
  void shouldKeepOnlyTermsOfAtLeastTwoTrainingDocuments() {
    List<LabeledDocument> train =
        List.of(
            new LabeledDocument("1", "bites", "alpha beta"),
            new LabeledDocument("2", "bitten", "alpha beta gamma"),
            new LabeledDocument("3", "bitten", "delta"));

    TfIdfBaseline model = TfIdfBaseline.fit(train, List.of(), LABELS, 1);

    // alpha, beta and "alpha beta" are in two documents; gamma, delta and "beta gamma" in one
    assertThat(
            Stream.of("alpha", "beta", "gamma", "delta", "alpha beta", "beta gamma")
                .map(LexicalFeatures::bucket)
                .distinct())
        .as("no two of the terms share a bucket")
        .hasSize(6);
    assertThat(model.features()).isEqualTo(3);
  }

  @Test
  void shouldFitTheSameModelForTheSameDocumentsAndSeed() {
    List<LabeledDocument> test = documents(80, 40);

    TfIdfBaseline a = TfIdfBaseline.fit(documents(0, 20), documents(60, 10), LABELS, 7);
    TfIdfBaseline b = TfIdfBaseline.fit(documents(0, 20), documents(60, 10), LABELS, 7);

    for (LabeledDocument d : test) {
      assertThat(b.predict(d.text())).isEqualTo(a.predict(d.text()));
    }
  }

  @Test
  void shouldRefuseALabelOutsideItsLabelSetAndAnEmptyTrainingSet() {
    List<LabeledDocument> stray = List.of(new LabeledDocument("1", "other", "dog bites man"));

    assertThatThrownBy(() -> TfIdfBaseline.fit(stray, List.of(), LABELS, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'other'");
    assertThatThrownBy(() -> TfIdfBaseline.fit(List.of(), List.of(), LABELS, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs training documents");
  }

  /**
   * Documents {@code from} to {@code from + count - 1}, labels alternating: "dog bites man" or "man
   * bites dog" clauses among random filler words.
   */
  static List<LabeledDocument> documents(int from, int count) {
    List<LabeledDocument> docs = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      Random random = new Random(i);
      String label = LABELS.get(i % 2);
      StringBuilder text = new StringBuilder();
      for (int c = 0; c < 6; c++) {
        text.append(label.equals("bites") ? "dog bites man " : "man bites dog ");
        for (int f = 0; f < 4; f++) {
          text.append("filler").append(random.nextInt(20)).append(' ');
        }
      }
      docs.add(new LabeledDocument(Integer.toString(i), label, text.toString()));
    }
    return docs;
  }
}
