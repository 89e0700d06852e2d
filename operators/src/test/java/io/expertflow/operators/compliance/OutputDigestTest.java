package io.expertflow.operators.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.InferenceResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputDigestTest {

  @Test
  void shouldHashTheKnownSha256OfAString() {
    assertThat(OutputDigest.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void shouldGiveEqualOutputsEqualHashesRegardlessOfTimingsAndWorker() {
    InferenceResponse a = Responses.ok("news", 0.9f).build();
    InferenceResponse b = Responses.ok("news", 0.9f).setWorkerId("w2").build();

    assertThat(OutputDigest.sha256(a)).isEqualTo(OutputDigest.sha256(b)).hasSize(64);
  }

  @Test
  void shouldChangeTheHashWhenLabelsExpertsOrVersionChange() {
    String base = OutputDigest.sha256(Responses.ok("news", 0.9f).build());

    assertThat(OutputDigest.sha256(Responses.ok("news", 0.8f).build())).isNotEqualTo(base);
    assertThat(OutputDigest.sha256(Responses.ok("news", 0.9f).setModelVersion("v2").build()))
        .isNotEqualTo(base);
    assertThat(
            OutputDigest.sha256(
                Responses.ok("news", 0.9f).setExperts(List.of(new ExpertGate(5, 1f))).build()))
        .isNotEqualTo(base);
  }

  @Test
  void shouldNotLetALabelNameForgeAFieldBoundary() {
    String forged = OutputDigest.canonicalOutput(Responses.ok("news=0.9\nlabel=x", 0.9f).build());

    assertThat(forged).contains("label=16:news=0.9\nlabel=x=0.9");
  }
}
