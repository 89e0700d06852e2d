package io.expertflow.model.bundle;

import io.expertflow.model.engine.EncoderSignature;
import io.expertflow.model.engine.HeadSignature;
import io.expertflow.operators.moe.MoeHeadConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@code manifest.json} says about a bundle: identity, sizes, tensor names and the SHA-256 of
 * every other file. Immutable; {@link ManifestJson} reads and writes it.
 *
 * @param name model name, e.g. {@code expertflow-demo}
 * @param version model version; every response names it
 * @param created when the bundle was written
 * @param encoderVariant which encoder (e.g. {@code minilm-l6-v2-int8}, or a user's own name)
 * @param hidden embedding width shared by encoder and head
 * @param experts base experts of the head
 * @param topK experts chosen per document
 * @param expertHidden hidden width inside each base expert
 * @param domains domain experts
 * @param labels number of labels (the names are in {@code labels.txt})
 * @param encoder the encoder's tensor names and maximum sequence length
 * @param head the head's tensor names
 * @param files SHA-256 (lower-case hex) of each bundle file by file name
 * @param trainedMaxChunks the most chunks per document the head was trained on (training's chunk
 *     cap); a worker that embeds more serves document embeddings the head did not learn from. Null
 *     when the bundle does not say (a user's own bundle, or one written before this field)
 */
public record BundleManifest(
    String name,
    String version,
    Instant created,
    String encoderVariant,
    int hidden,
    int experts,
    int topK,
    int expertHidden,
    int domains,
    int labels,
    EncoderSignature encoder,
    HeadSignature head,
    Map<String, String> files,
    Integer trainedMaxChunks) {

  /** Version of the manifest layout that this class reads and writes. */
  public static final int FORMAT = 1;

  /** Hex digits of the encoder file's SHA-256 in {@link #encoderId()}: 64 bits. */
  private static final int ENCODER_ID_DIGITS = 16;

  public BundleManifest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(encoderVariant, "encoderVariant");
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(head, "head");
    files = Map.copyOf(new TreeMap<>(files));
    if (trainedMaxChunks != null && trainedMaxChunks <= 0) {
      throw new IllegalArgumentException("trainedMaxChunks must be > 0, was " + trainedMaxChunks);
    }
  }

  /** The head's config over the given label names, checked against the manifest's sizes. */
  public MoeHeadConfig headConfig(List<String> labelNames) {
    if (labelNames.size() != labels) {
      throw new ModelBundleException(
          "the manifest says " + labels + " labels, labels.txt has " + labelNames.size());
    }
    return new MoeHeadConfig(hidden, experts, topK, expertHidden, domains, labelNames);
  }

  /**
   * What to tell an operator who serves this bundle cutting documents to {@code servedMaxChunks}
   * chunks, when that is more than its head was trained on; empty when they agree or the bundle
   * does not say.
   */
  public java.util.Optional<String> chunkCapMismatch(int servedMaxChunks) {
    if (trainedMaxChunks == null || servedMaxChunks <= trainedMaxChunks) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        "model "
            + name
            + " "
            + version
            + " was trained on at most "
            + trainedMaxChunks
            + " chunks per document, this worker embeds up to "
            + servedMaxChunks
            + " (chunk.max): documents longer than "
            + trainedMaxChunks
            + " chunks get embeddings its head did not learn from; set chunk.max="
            + trainedMaxChunks
            + " to serve it as trained");
  }

  /**
   * Which encoder makes this bundle's embeddings, as responses and the document memory name it: the
   * variant and the first 16 hex digits of {@code encoder.onnx}'s SHA-256 ({@code
   * minilm-l6-v2-int8-static@0123456789abcdef}), or the variant alone when the manifest lists no
   * checksum for it. Two bundles whose embeddings can be compared have the same id; bundles of two
   * encoders of the same width (MiniLM and bge-small both give 384 values) have different ids.
   */
  public String encoderId() {
    String sha = files.get(EncoderResources.ENCODER_FILE);
    return sha == null || sha.length() < ENCODER_ID_DIGITS
        ? encoderVariant
        : encoderVariant + "@" + sha.substring(0, ENCODER_ID_DIGITS);
  }

  /** A copy with other file checksums. */
  public BundleManifest withFiles(Map<String, String> value) {
    return new BundleManifest(
        name,
        version,
        created,
        encoderVariant,
        hidden,
        experts,
        topK,
        expertHidden,
        domains,
        labels,
        encoder,
        head,
        value,
        trainedMaxChunks);
  }
}
