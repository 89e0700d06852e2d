package io.expertflow.model.bundle;

import java.util.Arrays;
import java.util.Locale;

/**
 * The pretrained all-MiniLM-L6-v2 sentence encoders shipped as class-path resources, with the
 * SHA-256 of each file as published, so an extraction can prove it got the expected bytes.
 */
public enum EncoderVariant {
  /** 32-bit float weights, about 90 MB. */
  MINILM_L6_V2_FP32(
      "minilm-l6-v2-fp32",
      "/all-minilm-l6-v2.onnx",
      "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e",
      "/all-minilm-l6-v2-tokenizer.json",
      "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0"),
  /** 8-bit quantized weights, about 23 MB; faster on CPUs. */
  MINILM_L6_V2_INT8(
      "minilm-l6-v2-int8",
      "/all-minilm-l6-v2-q.onnx",
      "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1",
      "/all-minilm-l6-v2-q-tokenizer.json",
      "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0");

  /** MiniLM's embedding width. */
  public static final int HIDDEN = 384;

  private final String id;
  private final String modelResource;
  private final String modelSha256;
  private final String tokenizerResource;
  private final String tokenizerSha256;

  EncoderVariant(
      String id,
      String modelResource,
      String modelSha256,
      String tokenizerResource,
      String tokenizerSha256) {
    this.id = id;
    this.modelResource = modelResource;
    this.modelSha256 = modelSha256;
    this.tokenizerResource = tokenizerResource;
    this.tokenizerSha256 = tokenizerSha256;
  }

  /** The name written to manifests and accepted by {@link #parse}. */
  public String id() {
    return id;
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
   * Parses {@code minilm-l6-v2-fp32}, {@code minilm-l6-v2-int8}, or the short {@code fp32}/{@code
   * int8}.
   */
  public static EncoderVariant parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (EncoderVariant variant : values()) {
      if (variant.id.equals(v) || variant.id.endsWith("-" + v)) {
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
