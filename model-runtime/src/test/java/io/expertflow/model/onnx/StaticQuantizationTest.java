package io.expertflow.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import io.expertflow.model.bundle.Checksums;
import io.expertflow.model.bundle.EncoderResources;
import io.expertflow.model.bundle.EncoderVariant;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The static rewrite of the real int8 MiniLM, and of e5-small-v2 and bge-small-en-v1.5 with their
 * own ranges.
 */
class StaticQuantizationTest {
  @TempDir Path dir;

  @Test
  void shouldWriteTheSameBytesFromTheSameSourceModel() throws Exception {
    EncoderResources.extract(EncoderVariant.MINILM_L6_V2_INT8_STATIC, dir.resolve("a"));
    EncoderResources.extract(EncoderVariant.MINILM_L6_V2_INT8_STATIC, dir.resolve("b"));
    byte[] a = Files.readAllBytes(dir.resolve("a").resolve(EncoderResources.ENCODER_FILE));
    byte[] b = Files.readAllBytes(dir.resolve("b").resolve(EncoderResources.ENCODER_FILE));

    assertThat(a).isEqualTo(b);
    assertThat(StaticQuantization.rewrite(source(), ranges())).isEqualTo(a);
    assertThat(Checksums.sha256(a))
        .isEqualTo(EncoderVariant.MINILM_L6_V2_INT8_STATIC.modelSha256Extracted());
  }

  @Test
  void shouldReplaceEveryDynamicQuantizerByAStaticOneWithConstantScales() throws Exception {
    byte[] source = source();
    ActivationRanges ranges = ranges();
    ModelProto rewritten = ModelProto.parseFrom(StaticQuantization.rewrite(source, ranges));

    List<String> quantized = StaticQuantization.quantizerInputs(source);
    assertThat(quantized).hasSize(24).containsExactlyInAnyOrderElementsOf(ranges.ranges().keySet());
    List<NodeProto> nodes = rewritten.getGraph().getNodeList();
    assertThat(nodes).noneMatch(n -> n.getOpType().equals("DynamicQuantizeLinear"));
    assertThat(nodes.stream().filter(n -> n.getOpType().equals("QuantizeLinear")))
        .hasSize(24)
        .allSatisfy(
            n ->
                assertThat(rewritten.getGraph().getInitializerList())
                    .anyMatch(t -> t.getName().equals(n.getInput(1)))
                    .anyMatch(t -> t.getName().equals(n.getInput(2))));
  }

  @Test
  void shouldTurnEveryIntegerProductWithItsScalesAndBiasIntoOneOperator() throws Exception {
    ModelProto source = ModelProto.parseFrom(source());
    ModelProto rewritten = ModelProto.parseFrom(StaticQuantization.rewrite(source(), ranges()));

    long products =
        source.getGraph().getNodeList().stream()
            .filter(n -> n.getOpType().equals("MatMulInteger"))
            .count();
    List<NodeProto> fused =
        rewritten.getGraph().getNodeList().stream()
            .filter(n -> n.getOpType().equals("MatMulIntegerToFloat"))
            .toList();
    assertThat(products).isEqualTo(36);
    assertThat(fused).hasSize(36);
    assertThat(fused).allSatisfy(n -> assertThat(n.getDomain()).isEqualTo("com.microsoft"));
    assertThat(fused).allSatisfy(n -> assertThat(n.getInputCount()).isEqualTo(7)); // with bias
    assertThat(rewritten.getGraph().getNodeList())
        .noneMatch(n -> n.getOpType().equals("MatMulInteger"));
    assertThat(rewritten.getOpsetImportList())
        .anySatisfy(o -> assertThat(o.getDomain()).isEqualTo("com.microsoft"));
  }

  @ParameterizedTest
  @CsvSource({
    "E5_SMALL_V2_INT8_STATIC, e5-small-v2-static",
    "BGE_SMALL_EN_V15_INT8_STATIC, bge-small-en-v1.5-static"
  })
  void shouldRewriteA12LayerEncoderWithItsOwnRangesToItsPinnedBytes(
      EncoderVariant variant, String shortName) throws Exception {
    EncoderResources.extract(variant, dir.resolve(shortName));
    ModelProto rewritten =
        ModelProto.parseFrom(
            Files.readAllBytes(dir.resolve(shortName).resolve(EncoderResources.ENCODER_FILE)));

    // extraction checks the pinned SHA-256 itself; here: every one of its 48 quantizers is static
    List<NodeProto> nodes = rewritten.getGraph().getNodeList();
    assertThat(nodes).noneMatch(n -> n.getOpType().equals("DynamicQuantizeLinear"));
    assertThat(nodes.stream().filter(n -> n.getOpType().equals("QuantizeLinear"))).hasSize(48);
    assertThat(EncoderVariant.parse(shortName)).isEqualTo(variant);
  }

  @Test
  void shouldComputeScaleAndZeroPointAsDynamicQuantizeLinearDoes() {
    ActivationRanges.Range range = new ActivationRanges.Range(-2.55f, 7.65f);
    float scale = StaticQuantization.scale(range);

    assertThat(scale).isEqualTo((7.65f + 2.55f) / 255f);
    assertThat(StaticQuantization.zeroPoint(range, scale)).isEqualTo(64);
    ActivationRanges.Range positive = new ActivationRanges.Range(0.5f, 2.55f);
    assertThat(StaticQuantization.zeroPoint(positive, StaticQuantization.scale(positive))).isZero();
  }

  @Test
  void shouldRefuseRangesCalibratedOnAnotherModel() throws Exception {
    ActivationRanges other =
        new ActivationRanges("0".repeat(64), Map.of("x", new ActivationRanges.Range(-1f, 1f)));

    assertThatThrownBy(() -> StaticQuantization.rewrite(source(), other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("calibrate this model first");
  }

  @Test
  void shouldReadBackTheRangesItWrites() throws Exception {
    ActivationRanges ranges = ranges();

    assertThat(ActivationRanges.parse(ranges.format(List.of("a comment")))).isEqualTo(ranges);
  }

  private static byte[] source() throws Exception {
    try (InputStream in =
        StaticQuantizationTest.class.getResourceAsStream("/all-minilm-l6-v2-q.onnx")) {
      return in.readAllBytes();
    }
  }

  private static ActivationRanges ranges() throws Exception {
    try (InputStream in =
        StaticQuantizationTest.class.getResourceAsStream(
            EncoderVariant.MINILM_L6_V2_INT8_STATIC.staticRanges())) {
      return ActivationRanges.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
