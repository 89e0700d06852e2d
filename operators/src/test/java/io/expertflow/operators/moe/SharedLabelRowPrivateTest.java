package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SharedLabelRowPrivateTest {
  private final MoeHeadConfig config = new MoeHeadConfig(8, 6, 2, 4, 3, List.of("x", "y", "z"));

  @Test
  void shouldBoundAUsersInfluenceWhateverHowManySamplesTheyGive() {
    MoeHeadWeights weights = MoeHeadWeights.random(config, 7);
    List<LabeledEmbedding> replay = documents(60, 3);
    LabeledEmbedding mine = new LabeledEmbedding(vector(new Random(99), 4f), 2);

    // one user with one sample, then the same user with the same sample five times
    float[] once = privateFit(weights, replay, List.of(mine));
    float[] fiveTimes = privateFit(weights, replay, List.of(mine, mine, mine, mine, mine));
    float[] plainOnce = plainFit(weights, replay, List.of(mine));
    float[] plainFiveTimes = plainFit(weights, replay, List.of(mine, mine, mine, mine, mine));

    // the user's gradient is over the clip norm, so clipped it weighs the same both ways
    assertThat(fiveTimes).containsExactly(once, within(1e-4f));
    // without DP the five copies pull the row much further
    assertThat(distance(plainOnce, plainFiveTimes)).isGreaterThan(0.05);
  }

  @Test
  void shouldLearnTheLabelWhenTheNoiseIsSmall() {
    MoeHeadWeights weights = MoeHeadWeights.random(config, 7);
    List<LabeledEmbedding> replay = documents(60, 3);
    List<LabeledEmbedding> feedback = new ArrayList<>();
    Random random = new Random(5);
    for (int i = 0; i < 10; i++) {
      feedback.add(new LabeledEmbedding(vector(random, 1f), 2));
    }

    float[] change = privateFit(weights, replay, feedback, 0.01, 1.0);
    float[] noisy = privateFit(weights, replay, feedback, 0.01, 50.0);

    // the row's bias rises for the label the feedback names; huge noise moves it elsewhere
    assertThat(change[config.expertHidden()]).isGreaterThan(0);
    assertThat(distance(change, noisy)).isGreaterThan(0.1);
  }

  private float[] privateFit(
      MoeHeadWeights serving, List<LabeledEmbedding> replay, List<LabeledEmbedding> user) {
    return privateFit(serving, replay, user, 1e-6, 0.05);
  }

  /** All of {@code feedback} as one user's (first) or one user per sample (the learning test). */
  private float[] privateFit(
      MoeHeadWeights serving,
      List<LabeledEmbedding> replay,
      List<LabeledEmbedding> feedback,
      double sigma,
      double clip) {
    List<LabeledEmbedding> samples = new ArrayList<>(feedback);
    samples.addAll(replay);
    float[] w = weights(feedback.size(), replay.size());
    List<int[]> users = new ArrayList<>();
    if (clip < 0.1) {
      int[] one = new int[feedback.size()];
      for (int i = 0; i < one.length; i++) {
        one[i] = i;
      }
      users.add(one);
    } else {
      for (int i = 0; i < feedback.size(); i++) {
        users.add(new int[] {i});
      }
    }
    return new SharedLabelRow(serving.copy(), 2)
        .fitPrivately(
            samples, w, users, 50, 0.05, 1e-3, new DpSgd(1.0, sigma, clip, new Random(3)));
  }

  private float[] plainFit(
      MoeHeadWeights serving, List<LabeledEmbedding> replay, List<LabeledEmbedding> feedback) {
    List<LabeledEmbedding> samples = new ArrayList<>(feedback);
    samples.addAll(replay);
    return new SharedLabelRow(serving.copy(), 2)
        .fit(samples, weights(feedback.size(), replay.size()), 50, 0.05, 1e-3);
  }

  private static float[] weights(int feedback, int replay) {
    float[] w = new float[feedback + replay];
    for (int i = 0; i < w.length; i++) {
      w[i] = i < feedback ? 5f : 1f;
    }
    return w;
  }

  private List<LabeledEmbedding> documents(int n, long seed) {
    Random random = new Random(seed);
    List<LabeledEmbedding> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new LabeledEmbedding(vector(random, 1f), i % 2));
    }
    return out;
  }

  private float[] vector(Random random, float scale) {
    float[] x = new float[config.hidden()];
    for (int i = 0; i < x.length; i++) {
      x[i] = scale * (float) random.nextGaussian();
    }
    return x;
  }

  private static double distance(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.pow(a[i] - b[i], 2);
    }
    return Math.sqrt(s);
  }
}
