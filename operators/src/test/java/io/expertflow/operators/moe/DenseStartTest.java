package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DenseStartTest {
  private static final List<String> LABELS = List.of("a", "b", "c", "d");
  private final MoeHeadConfig head = new MoeHeadConfig(16, 16, 2, 8, 4, LABELS);
  private final List<LabeledEmbedding> all = SyntheticClusters.generate(4, 3, 16, 50, 0.6, 3);
  private final List<LabeledEmbedding> train = all.subList(0, 420);
  private final List<LabeledEmbedding> validation = all.subList(420, 600);
  private final MoeTrainingConfig config =
      MoeTrainingConfig.defaults()
          .withEpochs(12)
          .withSeed(5)
          .withAnchorWeights(List.of(1e-1, 1e-2));

  @Test
  void shouldStartEveryExpertAsTheDenseHeadSoTheUpcycledHeadPredictsWhatItPredicts() {
    DenseStart dense = DenseStart.train(head, train, validation, config, r -> {});
    MoeHeadReference denseHead = new MoeHeadReference(dense.dense());
    MoeHeadReference upcycled = new MoeHeadReference(dense.upcycled(head, 9));

    for (LabeledEmbedding s : validation) {
      float[] expected = denseHead.forward(s.embedding()).probabilities();
      float[] actual = upcycled.forward(s.embedding()).probabilities();
      for (int i = 0; i < expected.length; i++) {
        assertThat(actual[i]).isCloseTo(expected[i], within(1e-5f));
      }
    }
    assertThat(MoeHeadTrainer.accuracy(dense.upcycled(head, 9), validation))
        .isEqualTo(dense.validationAccuracy())
        .isGreaterThan(0.5);
  }

  @Test
  void shouldBalanceTheRandomGateOfAKeptUpcycledStartWithoutChangingItsAnswers() {
    MoeHeadConfig wide = new MoeHeadConfig(16, 64, 2, 8, 4, LABELS);
    DenseStart dense = DenseStart.train(wide, train, validation, config, r -> {});
    MoeHeadWeights kept = dense.upcycled(wide, 9);
    MoeHeadWeights settled = kept.copy();
    ExpertLoad before = ExpertLoad.measure(kept, all);

    new RouteBalancer(config).settle(settled, train);

    ExpertLoad after = ExpertLoad.measure(settled, all);
    assertThat(before.deadExperts()).as("the random gate leaves experts idle").isPositive();
    assertThat(after.deadExperts()).isZero();
    assertThat(after.maxShare()).isLessThan(before.maxShare());
    assertSameAnswers(kept, settled, all, 1e-5f);
  }

  @Test
  void shouldWriteALogisticRegressionExactlyIntoTheExpertsShape() {
    LinearProbe probe = LinearProbe.train(train, validation, LABELS.size(), 16, 5);
    MoeHeadReference dense =
        new MoeHeadReference(DenseStart.fromLinear(DenseStart.denseShape(head), probe, 5));
    float[] w = probe.weights();
    float[] b = probe.bias();

    for (LabeledEmbedding s : validation) {
      float[] z = new float[LABELS.size()];
      for (int l = 0; l < z.length; l++) {
        z[l] = b[l];
        for (int i = 0; i < 16; i++) {
          z[l] += w[l * 16 + i] * s.embedding()[i];
        }
      }
      float[] expected = MoeHeadReference.softmax(z);
      float[] actual = dense.forward(s.embedding()).probabilities();
      for (int l = 0; l < z.length; l++) {
        assertThat(actual[l]).isCloseTo(expected[l], within(1e-5f));
      }
      assertThat(dense.forward(s.embedding()).argmax()).isEqualTo(probe.predict(s.embedding()));
    }
  }

  @Test
  void shouldStartTheSpareUnitsAlongThePrincipalDirectionsWithoutChangingAnAnswer() {
    // 4 labels take 2 (4 - 1) = 6 of 16 hidden units: 5 pairs are spare
    MoeHeadConfig wide = new MoeHeadConfig(16, 16, 2, 16, 4, LABELS);
    LinearProbe probe = LinearProbe.train(train, validation, LABELS.size(), 16, 5);
    MoeHeadWeights regression = DenseStart.fromLinear(DenseStart.denseShape(wide), probe, 5);
    MoeHeadWeights principal =
        DenseStart.withSpareUnits(
            regression.copy(), train, MoeTrainingConfig.SpareUnits.PRINCIPAL, 5);

    assertSameAnswers(regression, principal, validation, 1e-6f);
    PrincipalDirections p = PrincipalDirections.of(train, 16, 5, 5);
    for (int j = 0; j < 5; j++) {
      int unit = 6 + 2 * j;
      double cos = 0;
      double norm = 0;
      for (int i = 0; i < 16; i++) {
        cos += principal.w1[unit * 16 + i] * p.directions()[j][i];
        norm += principal.w1[unit * 16 + i] * principal.w1[unit * 16 + i];
        assertThat(principal.w1[(unit + 1) * 16 + i]).isEqualTo(-principal.w1[unit * 16 + i]);
      }
      assertThat(cos / Math.sqrt(norm)).as("spare pair %d", j).isCloseTo(1, within(1e-5));
      assertThat(Math.sqrt(norm))
          .isCloseTo(1 / p.deviations()[j], within(1e-3 / p.deviations()[j]));
    }
    // the regression's own units and RANDOM spare units are left as they were
    assertThat(java.util.Arrays.copyOf(principal.w1, 6 * 16))
        .isEqualTo(java.util.Arrays.copyOf(regression.w1, 6 * 16));
    assertThat(
            DenseStart.withSpareUnits(
                    regression.copy(), train, MoeTrainingConfig.SpareUnits.RANDOM, 5)
                .w1)
        .isEqualTo(regression.w1);
  }

  @Test
  void shouldLeaveTheSpareUnitsTheSamplesCannotFillAsTheyWere() {
    // 4 labels take 6 of 48 hidden units: 21 spare pairs, more than the 16 dimensions and far more
    // than the 3 directions that 4 training samples span
    MoeHeadConfig wide = new MoeHeadConfig(16, 16, 2, 48, 4, LABELS);
    LinearProbe probe = LinearProbe.train(train, validation, LABELS.size(), 16, 5);
    MoeHeadWeights regression = DenseStart.fromLinear(DenseStart.denseShape(wide), probe, 5);
    List<LabeledEmbedding> few = train.subList(0, 4);

    MoeHeadWeights principal =
        DenseStart.withSpareUnits(
            regression.copy(), few, MoeTrainingConfig.SpareUnits.PRINCIPAL, 5);

    int written = 2 * PrincipalDirections.of(few, 16, 21, 5).directions().length;
    assertThat(written).isBetween(2, 6);
    int firstLeft = (6 + written) * 16;
    assertThat(java.util.Arrays.copyOfRange(principal.w1, firstLeft, principal.w1.length))
        .isEqualTo(java.util.Arrays.copyOfRange(regression.w1, firstLeft, regression.w1.length));
    for (float w : principal.w1) {
      assertThat(Float.isFinite(w) && Math.abs(w) < 1e4).as("a first-layer weight %s", w).isTrue();
    }
    assertSameAnswers(regression, principal, validation, 1e-6f);
  }

  @Test
  void shouldStartFromTheLogisticRegressionAndNeverEndBelowItOnValidation() {
    LinearProbe probe = LinearProbe.train(train, validation, LABELS.size(), 16, config.seed());
    long probeCorrect =
        validation.stream().filter(s -> probe.predict(s.embedding()) == s.label()).count();

    DenseStart dense =
        DenseStart.train(
            head,
            train,
            validation,
            config.withStart(MoeTrainingConfig.Start.UPCYCLED_FROM_LINEAR),
            r -> {});

    assertThat(DenseStart.startsLinear(head)).isTrue();
    // the very regression the baseline is, so training need not fit it a second time
    assertThat(dense.linearStart().orElseThrow().weights()).isEqualTo(probe.weights());
    assertThat(
            DenseStart.train(
                    head,
                    train,
                    validation,
                    config.withStart(MoeTrainingConfig.Start.UPCYCLED),
                    r -> {})
                .linearStart())
        .isEmpty();
    assertThat(dense.validationAccuracy())
        .isGreaterThanOrEqualTo((double) probeCorrect / validation.size());
    MoeHeadConfig narrow = new MoeHeadConfig(16, 16, 2, 4, 4, LABELS);
    assertThat(DenseStart.startsLinear(narrow)).as("4 labels need 6 hidden units").isFalse();
  }

  @Test
  void shouldKeepEveryLabelsOutputRowInEveryExpert() {
    DenseStart dense = DenseStart.train(head, train, validation, config, r -> {});
    MoeHeadWeights start = dense.dense();
    MoeHeadWeights upcycled = dense.upcycled(head, 9);

    for (int e = 0; e < head.experts(); e++) {
      assertThat(upcycled.expertTensors(e).get("expert." + e + ".w2").data())
          .isEqualTo(start.expertTensors(0).get("expert.0.w2").data());
      assertThat(upcycled.expertTensors(e).get("expert." + e + ".b2").data())
          .isEqualTo(start.expertTensors(0).get("expert.0.b2").data());
    }
  }

  @Test
  void shouldNeverEndBelowTheDenseStartOnValidationAndKeepEveryExpertLoaded() {
    DenseStart dense = DenseStart.train(head, train, validation, config, r -> {});

    TrainingResult result = new MoeHeadTrainer(config).train(head, train, validation, r -> {});

    assertThat(MoeHeadTrainer.accuracy(result.weights(), validation))
        .isGreaterThanOrEqualTo(dense.validationAccuracy());
    assertThat(result.trainLoad().deadExperts()).isZero();
    assertThat(result.history()).hasSizeGreaterThan(dense.history().size());
  }

  @Test
  void shouldStopADenseStageThatNoLongerImprovesOnValidation() {
    DenseStart dense = DenseStart.train(head, train, validation, config.withEpochs(200), r -> {});

    assertThat(dense.history().size()).isLessThan(200);
    assertThat(dense.history().size() - dense.bestEpoch()).isEqualTo(config.patience());
  }

  @Test
  void shouldHoldExpertsCloserToTheDenseStartTheStrongerTheAnchor() {
    MoeTrainingConfig oneStage = config.withEpochs(4);
    DenseStart dense = DenseStart.train(head, train, List.of(), oneStage, r -> {});
    MoeHeadWeights start = dense.upcycled(head, oneStage.seed());

    double loose =
        distance(
            new MoeHeadTrainer(oneStage.withAnchorWeights(List.of(0.0)))
                .train(head, train, List.of(), r -> {})
                .weights(),
            start);
    double tight =
        distance(
            new MoeHeadTrainer(oneStage.withAnchorWeights(List.of(10.0)))
                .train(head, train, List.of(), r -> {})
                .weights(),
            start);

    assertThat(tight).isPositive().isLessThan(loose * 0.8);
  }

  @Test
  void shouldTrainFromRandomWeightsWhenToldToWithoutADenseStage() {
    MoeTrainingConfig random = config.withStart(MoeTrainingConfig.Start.RANDOM).withEpochs(5);

    TrainingResult result = new MoeHeadTrainer(random).train(head, train, validation, r -> {});

    assertThat(result.history()).hasSize(5);
  }

  private static double distance(MoeHeadWeights a, MoeHeadWeights b) {
    double sum = 0;
    for (String name : List.of("experts.w1", "experts.w2")) {
      float[] x = a.tensors().get(name).data();
      float[] y = b.tensors().get(name).data();
      for (int i = 0; i < x.length; i++) {
        sum += (x[i] - y[i]) * (x[i] - y[i]);
      }
    }
    return Math.sqrt(sum);
  }

  /** {@code b} gives {@code a}'s probabilities on every sample, to {@code tolerance}. */
  private static void assertSameAnswers(
      MoeHeadWeights a, MoeHeadWeights b, List<LabeledEmbedding> samples, float tolerance) {
    MoeHeadReference expectedHead = new MoeHeadReference(a);
    MoeHeadReference actualHead = new MoeHeadReference(b);
    for (LabeledEmbedding s : samples) {
      float[] expected = expectedHead.forward(s.embedding()).probabilities();
      float[] actual = actualHead.forward(s.embedding()).probabilities();
      for (int l = 0; l < expected.length; l++) {
        assertThat(actual[l]).isCloseTo(expected[l], within(tolerance));
      }
    }
  }
}
