package io.expertflow.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.model.engine.HeadSignature;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeOutput;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MoeHeadOnnxTest {
  private static final float TOLERANCE = 1e-5f;
  private static Engine engine;

  @BeforeAll
  static void startEngine() {
    engine = Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.CPU));
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 17, 64})
  void shouldMatchTheReferenceOnASmallHead(int batch) {
    MoeHeadConfig config = new MoeHeadConfig(16, 8, 2, 4, 4, labels(5));
    assertMatchesReference(randomWeights(config, 11L + batch), batch, 100L + batch);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 17, 64})
  void shouldMatchTheReferenceOnADefaultSizedHead(int batch) {
    MoeHeadConfig config = MoeHeadConfig.defaults(labels(17));
    assertMatchesReference(randomWeights(config, 21L + batch), batch, 200L + batch);
  }

  @Test
  void shouldMatchTheReferenceWithThreeExpertsPerDocument() {
    MoeHeadConfig config = new MoeHeadConfig(24, 12, 3, 6, 3, labels(4));
    assertMatchesReference(randomWeights(config, 5L), 17, 6L);
  }

  @Test
  void shouldBreakTopKTiesTowardTheLowerExpertLikeTheReference() {
    // zero gate weights: every expert scores the same, so selection is decided by index alone
    MoeHeadConfig config = new MoeHeadConfig(8, 8, 2, 4, 4, labels(3));
    MoeHeadWeights weights = randomWeights(config, 3L);
    java.util.Arrays.fill(weights.tensors().get("gate.weight").data(), 0f);
    java.util.Arrays.fill(weights.tensors().get("gate.bias").data(), 0.5f);
    java.util.Arrays.fill(weights.tensors().get("gate.route_bias").data(), 0f);

    List<MoeOutput> onnx = assertMatchesReference(weights, 3, 4L);

    assertThat(onnx).allSatisfy(o -> assertThat(o.experts()).containsExactly(0, 1));
    assertThat(onnx).allSatisfy(o -> assertThat(o.domain()).isZero());
  }

  @Test
  void shouldRouteByTheBiasedScoreButWeighByTheUnbiasedLogits() {
    MoeHeadConfig config = new MoeHeadConfig(8, 8, 2, 4, 4, labels(3));
    MoeHeadWeights weights = randomWeights(config, 9L);
    // a large routing bias forces experts 6 and 7; their gate weights must ignore the bias
    float[] routeBias = weights.tensors().get("gate.route_bias").data();
    java.util.Arrays.fill(routeBias, 0f);
    routeBias[6] = 100f;
    routeBias[7] = 90f;

    List<MoeOutput> onnx = assertMatchesReference(weights, 5, 8L);

    assertThat(onnx).allSatisfy(o -> assertThat(o.experts()).containsExactly(6, 7));
    assertThat(onnx).allSatisfy(o -> assertThat(o.domain()).isEqualTo(3));
  }

  private static List<MoeOutput> assertMatchesReference(
      MoeHeadWeights weights, int batch, long seed) {
    MoeHeadConfig config = weights.config();
    float[][] inputs = randomInputs(batch, config.hidden(), seed);
    MoeHeadReference reference = new MoeHeadReference(weights);
    List<MoeOutput> onnx;
    try (HeadSession head =
        engine.openHead(MoeHeadOnnxBuilder.build(weights), HeadSignature.defaults(), config)) {
      onnx = head.route(inputs);
    }
    assertThat(onnx).hasSize(batch);
    for (int b = 0; b < batch; b++) {
      MoeOutput want = reference.forward(inputs[b]);
      MoeOutput got = onnx.get(b);
      assertThat(got.experts()).as("experts of row %d", b).containsExactly(want.experts());
      assertThat(got.domain()).as("domain of row %d", b).isEqualTo(want.domain());
      assertThat(maxAbsDiff(got.gates(), want.gates()))
          .as("gates of row %d", b)
          .isLessThan(TOLERANCE);
      assertThat(maxAbsDiff(got.probabilities(), want.probabilities()))
          .as("probabilities of row %d", b)
          .isLessThan(TOLERANCE);
    }
    return onnx;
  }

  /** Random weights with every tensor non-trivial, including the ones random() leaves neutral. */
  static MoeHeadWeights randomWeights(MoeHeadConfig config, long seed) {
    MoeHeadWeights weights = MoeHeadWeights.random(config, seed);
    Random random = new Random(seed * 31 + 7);
    for (String name : List.of("gate.bias", "gate.route_bias", "experts.b2", "domains.bias")) {
      float[] data = weights.tensors().get(name).data();
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) (random.nextGaussian() * 0.3);
      }
    }
    float[] scale = weights.tensors().get("domains.scale").data();
    for (int i = 0; i < scale.length; i++) {
      scale[i] = 0.5f + random.nextFloat();
    }
    return weights;
  }

  static float[][] randomInputs(int batch, int hidden, long seed) {
    Random random = new Random(seed);
    float[][] x = new float[batch][hidden];
    for (float[] row : x) {
      for (int i = 0; i < hidden; i++) {
        row[i] = (float) random.nextGaussian();
      }
    }
    return x;
  }

  static List<String> labels(int n) {
    return IntStream.range(0, n).mapToObj(i -> "label-" + i).toList();
  }

  private static float maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    float max = 0f;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
