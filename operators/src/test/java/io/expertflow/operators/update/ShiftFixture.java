package io.expertflow.operators.update;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadTrainer;
import io.expertflow.operators.moe.MoeTrainingConfig;
import io.expertflow.operators.moe.TrainingResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small distribution shift on synthetic data: a head trained without its last label, a guard set
 * of the trained labels, and feedback on documents of the missing label, attributed per expert as
 * the streams app would attribute it.
 */
final class ShiftFixture {
  static final List<String> LABELS = List.of("a", "b", "c", "d", "new");
  static final int NEW = LABELS.size() - 1;
  static final Instant WINDOW_START = Instant.parse("2024-06-03T00:00:00Z");
  static final Instant WINDOW_END = WINDOW_START.plusSeconds(7 * 24 * 3600);
  static final MoeHeadConfig HEAD = new MoeHeadConfig(32, 16, 2, 16, 4, LABELS);

  /** The head without the label {@code new}. */
  static final MoeHeadConfig KNOWN = new MoeHeadConfig(32, 16, 2, 16, 4, LABELS.subList(0, NEW));

  final TrainingResult trained;
  final GuardSet guard;
  final List<LabeledEmbedding> shifted;
  final List<LabeledEmbedding> shiftedEvaluation;

  private ShiftFixture(
      TrainingResult trained,
      GuardSet guard,
      List<LabeledEmbedding> shifted,
      List<LabeledEmbedding> shiftedEvaluation) {
    this.trained = trained;
    this.guard = guard;
    this.shifted = shifted;
    this.shiftedEvaluation = shiftedEvaluation;
  }

  /** Trains the head once by sparse upcycling (the default); about a second. */
  static ShiftFixture create() {
    return create(MoeTrainingConfig.DEFAULT_START);
  }

  /**
   * The same data, but the head's label set lacks {@code new} altogether ({@link #KNOWN}): the
   * shifted documents' label index lies past the head's labels.
   */
  static ShiftFixture createWithoutNewLabel() {
    return create(MoeTrainingConfig.DEFAULT_START, KNOWN);
  }

  /** Trains the head once, its experts starting as {@code start} says. */
  static ShiftFixture create(MoeTrainingConfig.Start start) {
    return create(start, HEAD);
  }

  private static ShiftFixture create(MoeTrainingConfig.Start start, MoeHeadConfig head) {
    List<LabeledEmbedding> all = clusters(LABELS.size(), 2, HEAD.hidden(), 60, 0.7, 7);
    List<LabeledEmbedding> train = new ArrayList<>();
    List<LabeledEmbedding> guard = new ArrayList<>();
    List<LabeledEmbedding> shifted = new ArrayList<>();
    List<LabeledEmbedding> shiftedEvaluation = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      LabeledEmbedding s = all.get(i);
      boolean held = i % 3 == 0;
      if (s.label() == NEW) {
        (held ? shiftedEvaluation : shifted).add(s);
      } else {
        (held ? guard : train).add(s);
      }
    }
    TrainingResult trained =
        new MoeHeadTrainer(
                MoeTrainingConfig.defaults()
                    .withEpochs(12)
                    .withBalanceRate(1e-3)
                    .withSeed(11)
                    .withStart(start))
            .train(head, train, List.of(), e -> {});
    return new ShiftFixture(
        trained, new GuardSet(head.labels(), head.hidden(), guard), shifted, shiftedEvaluation);
  }

  /** Feedback correcting each sample to its true label, one record per expert that served it. */
  List<AttributedFeedback> feedback(List<LabeledEmbedding> samples, String idPrefix) {
    return new SimulatedFeedback(trained.weights(), "base", LABELS)
        .attributed(samples, idPrefix, WINDOW_START);
  }

  /** The window statistics the streams app would emit for {@code feedback}. */
  static List<ExpertWindowStats> stats(List<AttributedFeedback> feedback) {
    return SimulatedFeedback.stats(feedback, WINDOW_START, WINDOW_END);
  }

  /** Each label owns a few Gaussian clusters on the unit sphere. */
  static List<LabeledEmbedding> clusters(
      int labels, int clustersPerLabel, int dim, int perCluster, double noise, long seed) {
    Random random = new Random(seed);
    float[][] centres = new float[labels * clustersPerLabel][];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = gaussian(random, dim, 1.0);
    }
    List<LabeledEmbedding> samples = new ArrayList<>();
    for (int n = 0; n < perCluster; n++) {
      for (int i = 0; i < centres.length; i++) {
        float[] x = gaussian(random, dim, noise);
        for (int j = 0; j < dim; j++) {
          x[j] += centres[i][j];
        }
        samples.add(new LabeledEmbedding(normalise(x), i / clustersPerLabel));
      }
    }
    return samples;
  }

  private static float[] gaussian(Random random, int dim, double std) {
    float[] x = new float[dim];
    for (int j = 0; j < dim; j++) {
      x[j] = (float) (random.nextGaussian() * std);
    }
    return x;
  }

  private static float[] normalise(float[] x) {
    double norm = 0;
    for (float v : x) {
      norm += v * v;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int j = 0; j < x.length; j++) {
      x[j] *= inv;
    }
    return x;
  }
}
