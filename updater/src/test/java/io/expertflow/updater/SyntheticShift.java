package io.expertflow.updater;

import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadTrainer;
import io.expertflow.operators.moe.MoeTrainingConfig;
import io.expertflow.operators.moe.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * TEST data: a small head trained on Gaussian clusters without its last label, its guard set, and
 * documents of the missing label (for feedback, and held out for evaluation).
 */
final class SyntheticShift {
  static final List<String> LABELS = List.of("a", "b", "c", "d", "new");
  static final MoeHeadConfig HEAD = new MoeHeadConfig(32, 16, 2, 16, 4, LABELS);

  final TrainingResult trained;
  final GuardSet guard;
  final List<LabeledEmbedding> shifted = new ArrayList<>();
  final List<LabeledEmbedding> shiftedEvaluation = new ArrayList<>();

  /** The head's labels without {@code new}: the model has never had it. */
  static final MoeHeadConfig KNOWN =
      new MoeHeadConfig(32, 16, 2, 16, 4, LABELS.subList(0, LABELS.size() - 1));

  SyntheticShift() {
    this(HEAD);
  }

  /** The data, with a head of {@code head}'s labels ({@link #HEAD} or {@link #KNOWN}). */
  SyntheticShift(MoeHeadConfig head) {
    Random random = new Random(7);
    int labels = LABELS.size();
    float[][] centres = new float[labels * 2][];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = gaussian(random, 1.0);
    }
    List<LabeledEmbedding> train = new ArrayList<>();
    List<LabeledEmbedding> guardSamples = new ArrayList<>();
    for (int n = 0; n < 60; n++) {
      for (int i = 0; i < centres.length; i++) {
        float[] x = gaussian(random, 0.7);
        for (int j = 0; j < x.length; j++) {
          x[j] += centres[i][j];
        }
        LabeledEmbedding s = new LabeledEmbedding(normalise(x), i / 2);
        boolean held = n % 3 == 0;
        if (s.label() == labels - 1) {
          (held ? shiftedEvaluation : shifted).add(s);
        } else {
          (held ? guardSamples : train).add(s);
        }
      }
    }
    trained =
        new MoeHeadTrainer(
                MoeTrainingConfig.defaults().withEpochs(12).withBalanceRate(1e-3).withSeed(11))
            .train(head, train, List.of(), e -> {});
    guard = new GuardSet(head.labels(), head.hidden(), guardSamples);
  }

  private static float[] gaussian(Random random, double std) {
    float[] x = new float[HEAD.hidden()];
    for (int j = 0; j < x.length; j++) {
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
