package io.expertflow.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.model.engine.DocumentEmbedding;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.model.lexical.LexicalFeatures;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
  private static final List<String> LABELS = List.of("a", "b", "c");

  @TempDir Path dir;

  @Test
  void shouldLoadTheTinyBundleWithItsManifest() throws Exception {
    ModelBundle bundle = ModelBundles.tiny(dir, LABELS);

    ModelBundle loaded = ModelBundle.load(dir);
    BundleManifest m = loaded.manifest();
    assertThat(m.encoderVariant()).isEqualTo(ModelBundles.TINY_TEST_VARIANT);
    assertThat(m.hidden()).isEqualTo(32);
    assertThat(m.experts()).isEqualTo(16);
    assertThat(m.topK()).isEqualTo(2);
    assertThat(m.labels()).isEqualTo(3);
    assertThat(m.encoder().maxSequenceLength()).isEqualTo(512);
    assertThat(m.files()).containsOnlyKeys(ModelBundle.FILES);
    assertThat(loaded.labels()).isEqualTo(LABELS);
    assertThat(loaded.readHeadWeights().config()).isEqualTo(bundle.headConfig());
    long bytes = 0;
    for (String f : ModelBundle.FILES) {
      bytes += Files.size(dir.resolve(f));
    }
    assertThat(bytes).as("tiny bundle size").isLessThan(2_000_000);
  }

  @Test
  void shouldRunTheTinyBundleEndToEndLikeTheReferenceHead() {
    ModelBundle bundle = ModelBundles.tiny(dir, LABELS);
    try (Engine engine = Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.CPU));
        EncoderSession encoder = bundle.openEncoder(engine);
        HeadSession head = bundle.openHead(engine)) {
      int[] first = {101, 2023, 2003, 1037, 3231, 102};
      int[] second = {101, 7592, 2088, 102};
      float[][] chunks = encoder.embed(List.of(first, second));
      float[] doc = DocumentEmbedding.fold(List.of(chunks[0], chunks[1]), new int[] {6, 4});
      MoeOutput got = head.route(new float[][] {doc}).get(0);

      MoeOutput want = new MoeHeadReference(bundle.readHeadWeights()).forward(doc);
      assertThat(got.experts()).containsExactly(want.experts());
      assertThat(got.domain()).isEqualTo(want.domain());
      assertThat(got.probabilities()).hasSize(3);
      assertThat(got.probabilities()[got.argmax()]).isEqualTo(got.probabilities()[want.argmax()]);
    }
  }

  @Test
  void shouldNameAMissingFile() throws Exception {
    ModelBundles.tiny(dir, LABELS);
    Files.delete(dir.resolve(ModelBundle.HEAD_WEIGHTS_FILE));

    assertThatThrownBy(() -> ModelBundle.load(dir))
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("missing file head.weights");
  }

  @Test
  void shouldSayWhenTheBundleFolderIsMissingOrAFile() throws Exception {
    Path file = Files.writeString(dir.resolve("bundle.txt"), "x");

    assertThatThrownBy(() -> ModelBundle.load(dir.resolve("nowhere")))
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("nowhere: no such folder; give the folder that 'expertflow train");
    assertThatThrownBy(() -> ModelBundle.load(file))
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("bundle.txt is not a folder");
  }

  @Test
  void shouldNameTheCorruptedFileWithExpectedAndActualChecksums() throws Exception {
    ModelBundles.tiny(dir, LABELS);
    Path encoder = dir.resolve(ModelBundle.ENCODER_FILE);
    String expected = Checksums.sha256(encoder);
    byte[] bytes = Files.readAllBytes(encoder);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(encoder, bytes);

    assertThatThrownBy(() -> ModelBundle.load(dir))
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("checksum mismatch for encoder.onnx")
        .hasMessageContaining("expected " + expected)
        .hasMessageContaining("actual " + Checksums.sha256(encoder));
  }

  @Test
  void shouldFindOrPointToTheBundleInsideATrainingOutputFolder() throws Exception {
    Path out = dir.resolve("run");
    ModelBundles.tiny(out.resolve("model"), LABELS);
    Files.writeString(out.resolve("metrics.json"), "{}");

    assertThatThrownBy(() -> ModelBundle.load(out))
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("model bundle " + out + " has no manifest.json")
        .hasMessageContaining("a bundle is in " + out.resolve("model"));
    assertThat(ModelBundle.locate(out)).isEqualTo(out.resolve("model"));
    assertThat(ModelBundle.locate(out.resolve("model"))).isEqualTo(out.resolve("model"));
    assertThat(ModelBundle.load(ModelBundle.locate(out)).labels()).isEqualTo(LABELS);
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThat(ModelBundle.locate(empty)).isEqualTo(empty);
    assertThatThrownBy(() -> ModelBundle.load(empty))
        .hasMessage("model bundle " + empty + " has no manifest.json");
  }

  @Test
  void shouldNameABadManifestField() throws Exception {
    ModelBundles.tiny(dir, LABELS);
    Path manifest = dir.resolve(ModelBundle.MANIFEST_FILE);
    String json = Files.readString(manifest);
    Files.writeString(manifest, json.replace("\"experts\" : 16", "\"experts\" : \"many\""));

    assertThatThrownBy(() -> ModelBundle.load(dir))
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("field 'head.experts' must be a positive integer")
        .hasMessageContaining("many");
  }

  @Test
  void shouldNameAMissingManifestField() throws Exception {
    ModelBundles.tiny(dir, LABELS);
    Path manifest = dir.resolve(ModelBundle.MANIFEST_FILE);
    Files.writeString(manifest, Files.readString(manifest).replace("\"version\"", "\"ver\""));

    assertThatThrownBy(() -> ModelBundle.load(dir))
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("field 'version' is missing");
  }

  @Test
  void shouldKeepTheEncodersPoolingAndPrefixAndReadOlderManifestsAsMeanPooled() throws Exception {
    ModelBundles.tiny(dir, LABELS);
    Path manifest = dir.resolve(ModelBundle.MANIFEST_FILE);
    BundleManifest m = ManifestJson.read(manifest);
    assertThat(m.encoder().pooling()).isEqualTo(io.expertflow.model.engine.Pooling.MEAN);
    assertThat(Files.readString(manifest)).contains("\"pooling\" : \"mean\"");

    // a manifest written before pooling and prefix existed
    String old =
        Files.readString(manifest)
            .replaceAll(",\\s*\"pooling\" : \"mean\"", "")
            .replaceAll(",\\s*\"prefix\" : \"\"", "");
    Files.writeString(manifest, old);
    assertThat(old).doesNotContain("pooling");
    assertThat(ManifestJson.read(manifest).encoder().pooling())
        .isEqualTo(io.expertflow.model.engine.Pooling.MEAN);
    assertThat(ManifestJson.read(manifest).encoder().prefix()).isEmpty();

    Files.writeString(manifest, old.replace("\"output\"", "\"pooling\" : \"max\", \"output\""));
    assertThatThrownBy(() -> ManifestJson.read(manifest))
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("encoder.pooling");
  }

  @Test
  void shouldRejectLabelsThatDisagreeWithTheManifest() throws Exception {
    ModelBundles.tiny(dir, LABELS);
    // a consistent checksum, but one label too many
    Path labels = dir.resolve(ModelBundle.LABELS_FILE);
    Files.writeString(labels, "a\nb\nc\nd\n", StandardCharsets.UTF_8);
    BundleManifest m = ManifestJson.read(dir.resolve(ModelBundle.MANIFEST_FILE));
    java.util.Map<String, String> files = new java.util.HashMap<>(m.files());
    files.put(ModelBundle.LABELS_FILE, Checksums.sha256(labels));
    ManifestJson.write(m.withFiles(files), dir.resolve(ModelBundle.MANIFEST_FILE));

    assertThatThrownBy(() -> ModelBundle.load(dir))
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("the manifest says 3 labels, labels.txt has 4");
  }

  @Test
  void shouldWriteANewHeadVersionOverAnExistingEncoder() {
    ModelBundle base = ModelBundles.tiny(dir.resolve("v1"), LABELS);
    var weights = base.readHeadWeights();
    weights.tensors().get("domains.bias").data()[0] = 3f;
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);

    ModelBundle next =
        ModelBundleWriter.create("expertflow-tiny-test", "test-2")
            .encoderOf(base)
            .head(weights)
            .clock(clock)
            .write(dir.resolve("v2"));

    assertThat(next.manifest().version()).isEqualTo("test-2");
    assertThat(next.manifest().created()).isEqualTo(clock.instant());
    assertThat(next.manifest().files().get(ModelBundle.ENCODER_FILE))
        .isEqualTo(base.manifest().files().get(ModelBundle.ENCODER_FILE));
    assertThat(next.readHeadWeights().tensors().get("domains.bias").data()[0]).isEqualTo(3f);
    assertThat(next.manifest().encoderId())
        .as("a new head over the same encoder makes comparable embeddings")
        .isEqualTo(base.manifest().encoderId());
  }

  @Test
  void shouldDeriveTheVersionFromItsFilesWhenNoneIsGiven() {
    ModelBundle base = ModelBundles.tiny(dir.resolve("base"), LABELS);
    var weights = base.readHeadWeights();

    ModelBundle once =
        ModelBundleWriter.create("expertflow-tiny-test")
            .encoderOf(base)
            .head(weights)
            .write(dir.resolve("once"));
    ModelBundle again =
        ModelBundleWriter.create("expertflow-tiny-test")
            .encoderOf(base)
            .head(weights)
            .clock(Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC))
            .write(dir.resolve("again"));
    weights.tensors().get("domains.bias").data()[0] += 0.5f;
    ModelBundle retrained =
        ModelBundleWriter.create("expertflow-tiny-test")
            .encoderOf(base)
            .head(weights)
            .write(dir.resolve("retrained"));

    String version = once.manifest().version();
    assertThat(version)
        .matches("b-[0-9a-f]{12}")
        .isEqualTo(ModelBundleWriter.contentVersion(once.manifest().files()));
    assertThat(again.manifest().version())
        .as("the same files, written at another time")
        .isEqualTo(version);
    assertThat(retrained.manifest().version())
        .as("one weight of the head changed")
        .isNotEqualTo(version);
    assertThat(retrained.manifest().encoderId()).isEqualTo(once.manifest().encoderId());
    assertThatThrownBy(() -> ModelBundleWriter.create("expertflow-tiny-test", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version");
  }

  @Test
  void shouldNameItsEncoderByVariantAndTheEncoderFilesChecksum() {
    BundleManifest m = ModelBundles.tiny(dir, LABELS).manifest();
    String sha = m.files().get(ModelBundle.ENCODER_FILE);

    assertThat(m.encoderId())
        .isEqualTo(ModelBundles.TINY_TEST_VARIANT + "@" + sha.substring(0, 16))
        .doesNotContain(sha.substring(16));
    assertThat(m.withFiles(Map.of()).encoderId())
        .as("a manifest without the encoder's checksum")
        .isEqualTo(ModelBundles.TINY_TEST_VARIANT);
    Map<String, String> other = new HashMap<>(m.files());
    other.put(ModelBundle.ENCODER_FILE, "f".repeat(64));
    assertThat(m.withFiles(other).encoderId())
        .as("another encoder file under the same variant name")
        .isNotEqualTo(m.encoderId());
  }

  @Test
  void shouldRefuseToWriteALabelItsLabelsFileCouldNotReadBack() {
    ModelBundle base = ModelBundles.tiny(dir.resolve("v1"), LABELS);
    var grown = base.readHeadWeights().withAddedLabels(List.of("two\nlines"), -7f);

    assertThatThrownBy(
            () ->
                ModelBundleWriter.create("expertflow-tiny-test", "test-2")
                    .encoderOf(base)
                    .head(grown)
                    .write(dir.resolve("v2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'two\\nlines'")
        .hasMessageContaining("control character");
    assertThat(dir.resolve("v2")).doesNotExist();
  }

  /** A TF-IDF model over {@code labels} that reads "offer" as the first label's word. */
  private static LexicalModel wordModel(List<String> labels) {
    float[] idf = new float[LexicalFeatures.BUCKETS];
    idf[LexicalFeatures.bucket("offer")] = 1;
    float[][] w = new float[labels.size()][LexicalFeatures.BUCKETS + 1];
    w[0][LexicalFeatures.bucket("offer")] = 3;
    return LexicalModel.of(labels, 0.4, idf, w);
  }

  @Test
  void shouldCarryAWordModelUnderItsChecksumAndKeepItInNewHeadVersions() throws Exception {
    ModelBundle base = ModelBundles.tiny(dir.resolve("v1"), LABELS);
    assertThat(base.readLexical()).isEmpty();

    ModelBundle trained =
        ModelBundleWriter.create("expertflow-tiny-test", "test-2")
            .encoderOf(base)
            .head(base.readHeadWeights())
            .lexical(wordModel(List.of("b", "a")))
            .write(dir.resolve("v2"));
    ModelBundle next =
        ModelBundleWriter.create("expertflow-tiny-test", "test-3")
            .encoderOf(trained)
            .head(trained.readHeadWeights())
            .write(dir.resolve("v3"));

    assertThat(trained.manifest().files()).containsKey(LexicalModel.FILE);
    assertThat(trained.readLexical())
        .hasValueSatisfying(
            m -> {
              assertThat(m.labels()).containsExactly("b", "a");
              assertThat(m.weight()).isEqualTo(0.4);
              assertThat(m.probabilities("offer")[0]).isGreaterThan(0.9);
            });
    assertThat(next.readLexical()).hasValueSatisfying(m -> assertThat(m.weight()).isEqualTo(0.4));

    Files.write(dir.resolve("v3").resolve(LexicalModel.FILE), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> ModelBundle.load(dir.resolve("v3")))
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("checksum mismatch for " + LexicalModel.FILE);
  }

  @Test
  void shouldRefuseAWordModelOfLabelsTheHeadDoesNotHave() {
    ModelBundle base = ModelBundles.tiny(dir.resolve("v1"), LABELS);
    ModelBundle other =
        ModelBundleWriter.create("expertflow-tiny-test", "test-2")
            .encoderOf(base)
            .head(base.readHeadWeights())
            .lexical(wordModel(List.of("a", "z")))
            .write(dir.resolve("v2"));

    assertThatThrownBy(other::readLexical)
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("lexical.bin was trained on labels [a, z], the head has [a, b, c]");
  }

  @Test
  void shouldRecordTheTrainingChunkCapAndKeepItInNewHeadVersions() {
    ModelBundle base = ModelBundles.tiny(dir.resolve("v1"), LABELS);
    assertThat(base.manifest().trainedMaxChunks()).isNull();
    assertThat(base.manifest().chunkCapMismatch(32)).isEmpty();

    ModelBundle trained =
        ModelBundleWriter.create("expertflow-tiny-test", "test-2")
            .encoderOf(base)
            .head(base.readHeadWeights())
            .trainedMaxChunks(8)
            .write(dir.resolve("v2"));
    ModelBundle next =
        ModelBundleWriter.create("expertflow-tiny-test", "test-3")
            .encoderOf(ModelBundle.load(dir.resolve("v2")))
            .head(trained.readHeadWeights())
            .write(dir.resolve("v3"));

    assertThat(ModelBundle.load(dir.resolve("v2")).manifest().trainedMaxChunks()).isEqualTo(8);
    assertThat(next.manifest().trainedMaxChunks()).isEqualTo(8);
    assertThat(next.manifest().chunkCapMismatch(8)).isEmpty();
    assertThat(next.manifest().chunkCapMismatch(32))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("trained on at most 8 chunks per document")
                    .contains("set chunk.max=8"));
  }

  @Test
  void shouldRefuseToWriteIntoAFolderThatHoldsFiles() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "keep me");

    assertThatThrownBy(() -> ModelBundles.tiny(dir, LABELS))
        .isInstanceOf(ModelBundleException.class)
        .hasMessageContaining("not empty");
    assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("keep me");
  }
}
