package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.operators.moe.DpSgd;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeParameterMask;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScopedFineTuningPrivateTest {
  private static ShiftFixture fixture;

  @BeforeAll
  static void trainHead() {
    fixture = ShiftFixture.create();
  }

  @Test
  void shouldBoundAUsersInfluenceOnTheExpertsWhateverHowManySamplesTheyGive() {
    LabeledEmbedding mine = fixture.shifted.get(0);

    float[] once = train(List.of(mine), 0.01);
    float[] fiveTimes = train(List.of(mine, mine, mine, mine, mine), 0.01);
    float[] unclippedOnce = train(List.of(mine), 1e6);
    float[] unclippedFiveTimes = train(List.of(mine, mine, mine, mine, mine), 1e6);

    assertThat(maxDifference(once, fiveTimes)).isLessThan(1e-4);
    assertThat(maxDifference(unclippedOnce, unclippedFiveTimes)).isGreaterThan(1e-3);
  }

  /** Trains the experts the sample routes to on one user's samples and some replay. */
  private static float[] train(List<LabeledEmbedding> user, double clip) {
    MoeHeadWeights weights = fixture.trained.weights().copy();
    var head = new io.expertflow.operators.moe.MoeHeadReference(weights);
    MoeParameterMask.Builder mask = MoeParameterMask.builder(weights.config());
    for (int e : head.select(head.gateLogits(user.get(0).embedding()))) {
      mask.outputRow(e, ShiftFixture.NEW).gateRow(e);
    }
    List<LabeledEmbedding> samples = new ArrayList<>(user);
    samples.addAll(fixture.guard.samples().subList(0, 40));
    float[] sampleWeights = new float[samples.size()];
    java.util.Arrays.fill(sampleWeights, 1f);
    List<int[]> units = new ArrayList<>();
    int[] mine = new int[user.size()];
    for (int i = 0; i < mine.length; i++) {
      mine[i] = i;
    }
    units.add(mine);
    for (int i = user.size(); i < samples.size(); i++) {
      units.add(new int[] {i});
    }
    UpdateConfig config = UpdateConfig.defaults().withEpochs(3);
    new ScopedFineTuning(weights, mask.build(), config.learningRate())
        .trainPrivately(
            samples,
            sampleWeights,
            units,
            1,
            new RoutingAnchors(weights, List.of(), List.of()),
            config,
            new DpSgd(1.0, 1e-9, clip, new Random(3)));
    return weights.tensors().get("gate.weight").data();
  }

  private static double maxDifference(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
