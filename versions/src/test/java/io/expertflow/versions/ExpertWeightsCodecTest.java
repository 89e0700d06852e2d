package io.expertflow.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.avro.ExpertWeights;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpertWeightsCodecTest {
  private static final MoeHeadConfig HEAD = new MoeHeadConfig(8, 4, 2, 4, 2, List.of("x", "y"));

  @Test
  void shouldRoundTripAnExpertsTensorsBitForBit() {
    MoeHeadWeights weights = MoeHeadWeights.random(HEAD, 3);

    ExpertWeights record = ExpertWeightsCodec.encode("m", "v1", 2, weights.expertTensors(2));
    MoeHeadWeights rebuilt = new MoeHeadWeights(HEAD);
    rebuilt.setExpertTensors(2, ExpertWeightsCodec.decode(record));

    assertThat(record.getSha256()).hasSize(64);
    assertThat(rebuilt.expertTensors(2).get("expert.2.w1").data())
        .isEqualTo(weights.expertTensors(2).get("expert.2.w1").data());
    assertThat(rebuilt.expertTensors(2).get("expert.2.gate").data())
        .isEqualTo(weights.expertTensors(2).get("expert.2.gate").data());
  }

  @Test
  void shouldRefuseARecordWhoseDataDoesNotMatchItsChecksum() {
    ExpertWeights record =
        ExpertWeightsCodec.encode("m", "v1", 1, MoeHeadWeights.random(HEAD, 3).expertTensors(1));
    ByteBuffer data = record.getTensors().get(0).getData();
    data.put(0, (byte) (data.get(0) ^ 1));

    assertThatThrownBy(() -> ExpertWeightsCodec.decode(record))
        .isInstanceOf(ExpertWeightsException.class)
        .hasMessageContaining("checksum mismatch");
  }
}
