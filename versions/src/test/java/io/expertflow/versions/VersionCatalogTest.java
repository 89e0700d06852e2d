package io.expertflow.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionCatalogTest {
  private static final MoeHeadConfig HEAD = new MoeHeadConfig(8, 4, 2, 4, 2, List.of("x", "y"));
  private static final MoeHeadWeights BASE = MoeHeadWeights.random(HEAD, 1);

  private final VersionCatalog catalog = new VersionCatalog("m");

  @Test
  void shouldServeTheLastPublishedOrRolledBackVersionAndNeverARejectedOne() {
    catalog.onModelVersion("m", version("v1", ModelVersionState.PUBLISHED, Map.of()));
    catalog.onModelVersion("m", version("v2", ModelVersionState.REJECTED, Map.of()));
    catalog.onModelVersion("m@v3", version("v3", ModelVersionState.REJECTED, Map.of()));

    assertThat(catalog.serving()).map(ModelVersion::getVersion).contains("v1");
    assertThat(catalog.version("v3")).isPresent();

    catalog.onModelVersion("m", version("v0", ModelVersionState.ROLLBACK, Map.of()));
    assertThat(catalog.serving()).map(ModelVersion::getVersion).contains("v0");
  }

  @Test
  void shouldIgnoreOtherModels() {
    ModelVersion other = version("v9", ModelVersionState.PUBLISHED, Map.of());
    other.setModelName("other");

    catalog.onModelVersion("other", other);

    assertThat(catalog.serving()).isEmpty();
  }

  @Test
  void shouldRebuildEachVersionFromTheBaseAndItsExpertRecords() {
    MoeHeadWeights v1 = BASE.copy();
    v1.tensors().get("experts.b2").data()[2 * 2] = 7f; // expert 2, label x
    MoeHeadWeights v2 = v1.copy();
    v2.tensors().get("gate.bias").data()[3] = -1f; // expert 3
    catalog.onExpertWeights("2@v1", ExpertWeightsCodec.encode("m", "v1", 2, v1.expertTensors(2)));
    catalog.onExpertWeights("3@v2", ExpertWeightsCodec.encode("m", "v2", 3, v2.expertTensors(3)));
    ModelVersion first = version("v1", ModelVersionState.PUBLISHED, Map.of("2", "v1"));
    ModelVersion second = version("v2", ModelVersionState.PUBLISHED, Map.of("2", "v1", "3", "v2"));

    MoeHeadWeights rebuilt = catalog.weightsOf(second, BASE);
    MoeHeadWeights older = catalog.weightsOf(first, BASE);

    assertThat(rebuilt.tensors().get("experts.b2").data())
        .isEqualTo(v2.tensors().get("experts.b2").data());
    assertThat(rebuilt.tensors().get("gate.bias").data())
        .isEqualTo(v2.tensors().get("gate.bias").data());
    assertThat(older.tensors().get("gate.bias").data())
        .isEqualTo(BASE.tensors().get("gate.bias").data());
    assertThat(BASE.tensors().get("experts.b2").data()[4]).isNotEqualTo(7f);
  }

  @Test
  void shouldNameTheExpertRecordsAVersionStillWaitsFor() {
    ModelVersion v = version("v1", ModelVersionState.PUBLISHED, Map.of("1", "v1"));

    assertThat(catalog.missingExpertUpdates(v)).containsExactly("1@v1");
    assertThatThrownBy(() -> catalog.weightsOf(v, BASE))
        .isInstanceOf(ExpertWeightsException.class)
        .hasMessageContaining("1@v1");
  }

  @Test
  void shouldListHistoryOldestFirstWhateverTheOrderItWasReadIn() {
    // history keys spread over partitions: a reader may see a later version before an earlier one
    catalog.onModelVersion(
        "m@v3", created(version("v3", ModelVersionState.PUBLISHED, Map.of()), 30));
    catalog.onModelVersion(
        "m@v1", created(version("v1", ModelVersionState.PUBLISHED, Map.of()), 10));
    catalog.onModelVersion(
        "m@v2", created(version("v2", ModelVersionState.REJECTED, Map.of()), 20));
    ModelVersion v1 = catalog.version("v1").orElseThrow();
    v1.setParentVersion("base");
    catalog.version("v2").orElseThrow().setParentVersion("v1");
    catalog.version("v3").orElseThrow().setParentVersion("v1");

    assertThat(catalog.history())
        .extracting(ModelVersion::getVersion)
        .containsExactly("v1", "v2", "v3");
    assertThat(catalog.root()).map(ModelVersion::getVersion).contains("v1");
  }

  @Test
  void shouldNameTheTensorsThatNeitherTheServingNorTheNewestKeptVersionsNeed() {
    // four weekly versions: v1 changes expert 0, v2 expert 1, v3 expert 0 again, v4 expert 2
    Map<String, Map<String, String>> experts =
        Map.of(
            "v1", Map.of("0", "v1"),
            "v2", Map.of("0", "v1", "1", "v2"),
            "v3", Map.of("0", "v3", "1", "v2"),
            "v4", Map.of("0", "v3", "1", "v2", "2", "v4"));
    long t = 0;
    for (String id : List.of("v1", "v2", "v3", "v4")) {
      catalog.onModelVersion(
          "m@" + id, created(version(id, ModelVersionState.PUBLISHED, experts.get(id)), t++));
    }
    catalog.onModelVersion("m@r", created(version("r", ModelVersionState.REJECTED, Map.of()), t));
    for (String key : List.of("0@v1", "1@v2", "0@v3", "2@v4")) {
      String[] p = key.split("@");
      int e = Integer.parseInt(p[0]);
      catalog.onExpertWeights(key, ExpertWeightsCodec.encode("m", p[1], e, BASE.expertTensors(e)));
    }
    catalog.onModelVersion("m", catalog.version("v4").orElseThrow());

    // v1's own expert 0 is needed by v1 and v2 only: gone once they are not kept
    assertThat(catalog.unneededExpertUpdates(2)).containsExactly("0@v1");
    assertThat(catalog.unneededExpertUpdates(4)).isEmpty();
    // a rollback to v1 serves it again, and its tensors are needed whatever is kept
    catalog.onModelVersion("m", version("v1", ModelVersionState.ROLLBACK, Map.of("0", "v1")));
    assertThat(catalog.unneededExpertUpdates(1)).isEmpty();
    assertThatThrownBy(() -> catalog.unneededExpertUpdates(0))
        .hasMessageContaining("keep must be at least 1");
  }

  private static ModelVersion created(ModelVersion v, long epochMillis) {
    v.setCreatedAt(Instant.ofEpochMilli(epochMillis));
    return v;
  }

  private static ModelVersion version(
      String id, ModelVersionState state, Map<String, String> experts) {
    return ModelVersion.newBuilder()
        .setModelName("m")
        .setVersion(id)
        .setBaseBundleSha256("sha")
        .setState(state)
        .setExpertVersions(Map.copyOf(experts))
        .setWindowStart(0L)
        .setCreatedAt(Instant.EPOCH)
        .build();
  }
}
