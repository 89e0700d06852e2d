package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MoeHeadTrainerTest {
  private static final List<String> LABELS = List.of("a", "b", "c", "d");
  private final MoeHeadConfig head = new MoeHeadConfig(16, 16, 2, 8, 4, LABELS);
  private final List<LabeledEmbedding> train = SyntheticClusters.generate(4, 3, 16, 40, 0.35, 1);
  private final List<LabeledEmbedding> test =
      SyntheticClusters.generate(4, 3, 16, 10, 0.35, 1).subList(0, 120);

  private final MoeTrainingConfig config =
      new MoeTrainingConfig(
          15,
          16,
          5e-3,
          1e-4,
          2e-3,
          0.0,
          8,
          7L,
          MoeTrainingConfig.Start.RANDOM,
          List.of(1e-2),
          6,
          5e-4,
          MoeTrainingConfig.Selection.ACCURACY,
          MoeTrainingConfig.SpareUnits.RANDOM);

  @Test
  void shouldLearnSeparableLabelsWellAboveChance() {
    TrainingResult result = new MoeHeadTrainer(config).train(head, train, test, r -> {});

    assertThat(MoeHeadTrainer.accuracy(result.weights(), test)).isGreaterThan(0.9);
    assertThat(result.history()).hasSize(15);
    assertThat(result.history().get(14).trainLoss())
        .isLessThan(result.history().get(0).trainLoss());
  }

  @Test
  void shouldLeaveNoExpertDeadWithBalancingButSomeWithout() {
    TrainingResult balanced = new MoeHeadTrainer(config).train(head, train, List.of(), r -> {});
    TrainingResult unbalanced =
        new MoeHeadTrainer(config.withBalanceRate(0)).train(head, train, List.of(), r -> {});

    assertThat(balanced.trainLoad().deadExperts()).isZero();
    assertThat(unbalanced.trainLoad().deadExperts()).isPositive();
    assertThat(balanced.trainLoad().maxShare()).isLessThan(unbalanced.trainLoad().maxShare());
    assertThat(MoeHeadTrainer.accuracy(balanced.weights(), test)).isGreaterThan(0.9);
  }

  @Test
  void shouldLeaveNoExpertWithoutADocumentWhenBalancingOverTheDocumentsItWillServe() {
    // Documents are the normalised means of their chunks, so they gather near the cluster centres
    // while their chunks spread far around them: balanced over chunks, experts can serve only
    // chunks.
    Random random = new Random(11);
    List<LabeledEmbedding> clusters = SyntheticClusters.generate(4, 3, 16, 10, 0.25, 4);
    List<LabeledEmbedding> documents = new ArrayList<>();
    List<LabeledEmbedding> documentsAndChunks = new ArrayList<>();
    for (LabeledEmbedding centre : clusters) {
      float[] mean = new float[16];
      List<LabeledEmbedding> chunks = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        float[] chunk = new float[16];
        for (int j = 0; j < 16; j++) {
          chunk[j] = centre.embedding()[j] + (float) (random.nextGaussian() * 0.6);
        }
        normalise(chunk);
        for (int j = 0; j < 16; j++) {
          mean[j] += chunk[j];
        }
        chunks.add(new LabeledEmbedding(chunk, centre.label()));
      }
      LabeledEmbedding document = new LabeledEmbedding(normalise(mean), centre.label());
      documents.add(document);
      documentsAndChunks.add(document);
      documentsAndChunks.addAll(chunks);
    }
    MoeHeadConfig wide = new MoeHeadConfig(16, 64, 2, 8, 4, LABELS);
    MoeTrainingConfig upcycling =
        MoeTrainingConfig.defaults().withEpochs(6).withSeed(3).withAnchorWeights(List.of(1e-2));
    MoeHeadTrainer trainer = new MoeHeadTrainer(upcycling);

    TrainingResult overDocuments =
        trainer.train(wide, documentsAndChunks, documents, List.of(), r -> {});
    TrainingResult overEverything = trainer.train(wide, documentsAndChunks, List.of(), r -> {});

    ExpertLoad served = ExpertLoad.measure(overDocuments.weights(), documents);
    ExpertLoad servedBefore = ExpertLoad.measure(overEverything.weights(), documents);
    assertThat(servedBefore.deadExperts()).as("balanced over chunks too").isPositive();
    assertThat(served.deadExperts()).isZero();
    // whatever the balancing left idle over its routing samples was revived
    assertThat(ExpertLoad.measure(overEverything.weights(), documentsAndChunks).deadExperts())
        .isZero();
    assertThat(MoeHeadTrainer.accuracy(overDocuments.weights(), documents))
        .isGreaterThanOrEqualTo(
            MoeHeadTrainer.accuracy(overEverything.weights(), documents) - 0.05);
  }

  @Test
  void shouldRejectAnEmptyListOfRoutingSamples() {
    assertThatThrownBy(
            () -> new MoeHeadTrainer(config).train(head, train, List.of(), List.of(), r -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no routing samples");
  }

  private static float[] normalise(float[] x) {
    double norm = 0;
    for (float v : x) {
      norm += v * v;
    }
    for (int j = 0; j < x.length; j++) {
      x[j] /= (float) Math.sqrt(norm);
    }
    return x;
  }

  @Test
  void shouldBeDeterministicForOneSeed() {
    TrainingResult first =
        new MoeHeadTrainer(config.withEpochs(3)).train(head, train, test, r -> {});
    TrainingResult second =
        new MoeHeadTrainer(config.withEpochs(3)).train(head, train, test, r -> {});

    first
        .weights()
        .tensors()
        .forEach(
            (name, t) ->
                assertThat(t.data())
                    .as(name)
                    .isEqualTo(second.weights().tensors().get(name).data()));
  }

  @Test
  void shouldKeepTheEpochWithTheBestValidationAccuracyAndReportEveryEpoch() {
    List<EpochReport> seen = new ArrayList<>();
    TrainingResult result = new MoeHeadTrainer(config).train(head, train, test, seen::add);

    assertThat(seen).isEqualTo(result.history());
    double best = seen.stream().mapToDouble(EpochReport::validationAccuracy).max().orElseThrow();
    assertThat(seen.get(result.bestEpoch() - 1).validationAccuracy()).isEqualTo(best);
    assertThat(MoeHeadTrainer.accuracy(result.weights(), test)).isEqualTo(best);
  }

  @Test
  void shouldKeepTheEpochWithTheLowestValidationLossWhenSelectingByLoss() {
    List<EpochReport> seen = new ArrayList<>();
    TrainingResult result =
        new MoeHeadTrainer(config.withSelectBy(MoeTrainingConfig.Selection.LOSS))
            .train(head, train, test, seen::add);

    double lowest = seen.stream().mapToDouble(EpochReport::validationLoss).min().orElseThrow();
    assertThat(seen.get(result.bestEpoch() - 1).validationLoss()).isEqualTo(lowest);
    assertThat(ValidationScore.of(result.weights(), test).loss()).isEqualTo(lowest);
    // Accuracy saturates early and keeps its first best epoch; the loss goes on falling after it.
    TrainingResult byAccuracy = new MoeHeadTrainer(config).train(head, train, test, r -> {});
    assertThat(result.bestEpoch()).isGreaterThan(byAccuracy.bestEpoch());
  }

  @Test
  void shouldFillEachExpertsReservoirWithSamplesItRoutesUpToCapacity() {
    TrainingResult result = new MoeHeadTrainer(config).train(head, train, List.of(), r -> {});
    MoeHeadReference ref = new MoeHeadReference(result.weights());

    for (int e = 0; e < head.experts(); e++) {
      List<LabeledEmbedding> kept = result.reservoir().samples(e);
      assertThat(kept).hasSizeLessThanOrEqualTo(8);
      assertThat(kept.size()).isEqualTo((int) Math.min(8, result.trainLoad().documentsOf(e)));
      for (LabeledEmbedding s : kept) {
        assertThat(ref.select(ref.gateLogits(s.embedding()))).contains(e);
      }
    }
  }

  @Test
  void shouldRejectSamplesThatDoNotFitTheHead() {
    List<LabeledEmbedding> wrong = List.of(new LabeledEmbedding(new float[3], 0));

    assertThatThrownBy(() -> new MoeHeadTrainer(config).train(head, wrong, List.of(), r -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has 3 values, the head expects 16");
  }
}
