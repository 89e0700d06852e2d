package io.expertflow.versions;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionSummaryTest {

  @Test
  void shouldShowExpertsShareAndAccuracyBeforeAndAfter() {
    ModelVersion v =
        ModelVersion.newBuilder()
            .setModelName("m")
            .setVersion("u1")
            .setParentVersion("base-1")
            .setBaseBundleSha256("sha")
            .setState(ModelVersionState.REJECTED)
            .setChangedExperts(List.of(3, 7))
            .setParametersChanged(836)
            .setParametersTotal(320_000)
            .setMetricsBefore(Map.of("holdout_accuracy", 0.0, "guard_accuracy", 0.735))
            .setMetricsAfter(Map.of("holdout_accuracy", 0.42))
            .setCreatedAt(Instant.EPOCH)
            .build();

    assertThat(VersionSummary.line(v))
        .isEqualTo(
            "u1 REJECTED from base-1: experts [3, 7], 836 parameters (0.26 %),"
                + " holdout 0.000 -> 0.420, guard 0.735 -> -");
  }
}
