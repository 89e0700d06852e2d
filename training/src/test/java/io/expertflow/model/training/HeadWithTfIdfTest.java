package io.expertflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.training.HeadWithTfIdf.Paired;
import io.expertflow.model.training.LabeledSamples.IdentifiedSample;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadWithTfIdfTest {
  private static final List<String> LABELS = List.of("bites", "bitten");
  private static final int DIM = 8;

  // a head of random weights reading random embeddings: it knows nothing of the labels
  private final MoeHeadReference head =
      new MoeHeadReference(MoeHeadWeights.random(new MoeHeadConfig(DIM, 4, 2, 4, 1, LABELS), 3));
  private final TfIdfBaseline tfIdf =
      TfIdfBaseline.fit(
          TfIdfBaselineTest.documents(0, 60), TfIdfBaselineTest.documents(60, 20), LABELS, 42);

  @Test
  void shouldWeighInTheTfIdfModelWhereTheTextTellsTheLabelsApart() {
    List<Paired> test = paired(TfIdfBaselineTest.documents(80, 40));

    HeadWithTfIdf combined =
        HeadWithTfIdf.fit(head, tfIdf, paired(TfIdfBaselineTest.documents(60, 20)));

    assertThat(combined.weight()).isGreaterThan(0);
    assertThat(combined.evaluate(test, LABELS).accuracy()).isGreaterThan(0.9);
    assertThat(headAlone(test).accuracy()).as("the head alone guesses").isLessThan(0.75);
  }

  @Test
  void shouldAnswerAsTheHeadAloneWithoutValidationDocuments() {
    List<Paired> test = paired(TfIdfBaselineTest.documents(80, 40));

    HeadWithTfIdf combined = HeadWithTfIdf.fit(head, tfIdf, List.of());

    assertThat(combined.weight()).isZero();
    ClassificationMetrics alone = headAlone(test);
    ClassificationMetrics both = combined.evaluate(test, LABELS);
    assertThat(both.confusion()).isDeepEqualTo(alone.confusion());
  }

  @Test
  void shouldPairEachEmbeddedDocumentWithItsText() {
    List<LabeledDocument> docs = TfIdfBaselineTest.documents(0, 3);
    List<IdentifiedSample> samples =
        List.of(sample(docs.get(2), 2), sample(docs.get(0), 0)); // document 1 had no token

    List<Paired> pairs = HeadWithTfIdf.pair(docs, samples);

    assertThat(pairs)
        .extracting(Paired::text)
        .containsExactly(docs.get(2).text(), docs.get(0).text());
    assertThat(pairs).extracting(p -> p.sample().id()).containsExactly("2", "0");
  }

  private ClassificationMetrics headAlone(List<Paired> docs) {
    ClassificationMetrics m = new ClassificationMetrics(LABELS);
    for (Paired p : docs) {
      m.add(p.sample().sample().label(), head.forward(p.sample().sample().embedding()).argmax());
    }
    return m;
  }

  private static List<Paired> paired(List<LabeledDocument> docs) {
    List<IdentifiedSample> samples = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      samples.add(sample(docs.get(i), i));
    }
    return HeadWithTfIdf.pair(docs, samples);
  }

  private static IdentifiedSample sample(LabeledDocument d, int seed) {
    Random random = new Random(1000L + seed);
    float[] x = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return new IdentifiedSample(d.id(), new LabeledEmbedding(x, LABELS.indexOf(d.label())));
  }
}
