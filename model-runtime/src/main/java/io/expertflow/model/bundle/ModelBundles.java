package io.expertflow.model.bundle;

import io.expertflow.model.engine.EncoderSignature;
import io.expertflow.model.onnx.TinyEncoderBuilder;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Ready-made bundles: the real MiniLM one and a tiny one for tests. Stateless. */
public final class ModelBundles {
  /** The encoder variant name of the tiny test bundle. */
  public static final String TINY_TEST_VARIANT = "tiny-test-encoder";

  /** Head sizes of the tiny test bundle: E=16, k=2, M=8, D=4. */
  public static final int TINY_EXPERTS = 16;

  private static final long TINY_SEED = 20_24L;

  private ModelBundles() {}

  /**
   * A real bundle: MiniLM (fp32 or int8) from the class path with the given head weights (whose
   * hidden size must be {@value EncoderVariant#HIDDEN}).
   */
  public static ModelBundle minilm(
      Path dir, String name, String version, EncoderVariant variant, MoeHeadWeights weights) {
    if (weights.config().hidden() != EncoderVariant.HIDDEN) {
      throw new IllegalArgumentException(
          "a MiniLM head needs hidden="
              + EncoderVariant.HIDDEN
              + ", was "
              + weights.config().hidden());
    }
    return ModelBundleWriter.create(name, version).encoder(variant).head(weights).write(dir);
  }

  /**
   * A TEST bundle of about 1 MB: the tiny random encoder of {@link TinyEncoderBuilder} (MiniLM's
   * vocabulary and tokenizer, width 32) and a random head over {@code labels}. Its outputs carry no
   * meaning; it exercises the real ONNX path fast. Never use it as a default.
   */
  public static ModelBundle tiny(Path dir, List<String> labels) {
    int width = TinyEncoderBuilder.DEFAULT_WIDTH;
    MoeHeadConfig config = new MoeHeadConfig(width, TINY_EXPERTS, 2, 8, 4, labels);
    try {
      Path staging = Files.createTempDirectory("expertflow-tiny-encoder");
      try {
        Path encoder = staging.resolve(ModelBundle.ENCODER_FILE);
        Files.write(encoder, TinyEncoderBuilder.build(width, TINY_SEED));
        EncoderResources.extractTokenizer(EncoderVariant.MINILM_L6_V2_INT8, staging);
        return ModelBundleWriter.create("expertflow-tiny-test", "test-1")
            .encoder(
                encoder,
                staging.resolve(ModelBundle.TOKENIZER_FILE),
                TINY_TEST_VARIANT,
                EncoderSignature.defaults().withMaxSequenceLength(TinyEncoderBuilder.MAX_POSITIONS))
            .head(MoeHeadWeights.random(config, TINY_SEED))
            .write(dir);
      } finally {
        try (var files = Files.list(staging)) {
          for (Path p : files.toList()) {
            Files.deleteIfExists(p);
          }
        }
        Files.deleteIfExists(staging);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the tiny test bundle into " + dir, e);
    }
  }
}
