package io.expertflow.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadWeightsFormatTest {
  private static final MoeHeadConfig CONFIG =
      new MoeHeadConfig(12, 8, 2, 4, 4, List.of("ä-label", "b", "c"));

  @TempDir Path dir;

  @Test
  void shouldRoundTripEveryTensorBitForBit() throws Exception {
    MoeHeadWeights weights = MoeHeadWeights.random(CONFIG, 42L);
    weights.tensors().get("gate.route_bias").data()[3] = -0.125f;
    Path file = dir.resolve("head.weights");

    HeadWeightsFormat.write(weights, file);
    MoeHeadWeights read = HeadWeightsFormat.read(file);

    assertThat(read.config()).isEqualTo(CONFIG);
    weights
        .tensors()
        .forEach(
            (name, t) ->
                assertThat(Arrays.equals(read.tensors().get(name).data(), t.data()))
                    .as(name)
                    .isTrue());
  }

  @Test
  void shouldReportATruncatedFile() throws Exception {
    Path file = dir.resolve("head.weights");
    HeadWeightsFormat.write(MoeHeadWeights.random(CONFIG, 1L), file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));

    assertThatThrownBy(() -> HeadWeightsFormat.read(file))
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void shouldRejectAFileThatIsNotHeadWeights() throws Exception {
    Path file = Files.writeString(dir.resolve("head.weights"), "{\"json\": true}");

    assertThatThrownBy(() -> HeadWeightsFormat.read(file))
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("not a head weights file");
  }
}
