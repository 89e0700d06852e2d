package io.expertflow.model.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.model.engine.EncoderSignature;
import io.expertflow.model.engine.Pooling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A sentence encoder as files on disk, wherever it came from: a shipped {@link EncoderVariant}
 * extracted from the class path, or a folder holding a user's own ONNX export. Immutable.
 *
 * @param id what the bundle's manifest names it ({@code minilm-l6-v2-int8}, {@code
 *     folder:my-encoder@1a2b3c4d})
 * @param model the ONNX file
 * @param tokenizer its Hugging Face {@code tokenizer.json}
 * @param signature tensor names, pooling and input prefix
 */
public record EncoderFiles(String id, Path model, Path tokenizer, EncoderSignature signature) {
  /** The ONNX file in a user's folder ({@value}), or {@code onnx/model.onnx} as exports lay it. */
  public static final String MODEL_FILE = "model.onnx";

  /** sentence-transformers' pooling settings in an exported folder. */
  public static final String POOLING_CONFIG = "1_Pooling/config.json";

  /** The files of a shipped encoder, extracted into {@code dir} and checked. */
  public static EncoderFiles extract(EncoderVariant variant, Path dir) {
    EncoderResources.extract(variant, dir);
    return new EncoderFiles(
        variant.id(),
        dir.resolve(EncoderResources.ENCODER_FILE),
        dir.resolve(EncoderResources.TOKENIZER_FILE),
        variant.signature());
  }

  /**
   * A user's export in {@code dir}: {@value #MODEL_FILE} (or {@code onnx/model.onnx}) and {@code
   * tokenizer.json}, pooling from {@code pooling} if given, else from {@value #POOLING_CONFIG},
   * else mean.
   *
   * @throws ModelBundleException naming the file that is missing or the pooling it cannot use
   */
  public static EncoderFiles fromFolder(Path dir, Optional<Pooling> pooling, String prefix) {
    Path model = dir.resolve(MODEL_FILE);
    if (!Files.isRegularFile(model)) {
      model = dir.resolve("onnx").resolve(MODEL_FILE);
    }
    if (!Files.isRegularFile(model)) {
      throw new ModelBundleException(
          "encoder folder " + dir + " has no " + MODEL_FILE + " (nor onnx/" + MODEL_FILE + ")");
    }
    Path tokenizer = dir.resolve(EncoderResources.TOKENIZER_FILE);
    if (!Files.isRegularFile(tokenizer)) {
      throw new ModelBundleException(
          "encoder folder " + dir + " has no " + EncoderResources.TOKENIZER_FILE);
    }
    Pooling chosen = pooling.orElseGet(() -> poolingOf(dir.resolve(POOLING_CONFIG)));
    String id = "folder:" + dir.getFileName() + "@" + Checksums.sha256(model).substring(0, 12);
    return new EncoderFiles(
        id, model, tokenizer, EncoderSignature.defaults().withPooling(chosen, prefix));
  }

  /** The pooling a sentence-transformers {@code 1_Pooling/config.json} asks for; mean if none. */
  static Pooling poolingOf(Path config) {
    if (!Files.isRegularFile(config)) {
      return Pooling.MEAN;
    }
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(config.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + config, e);
    }
    if (json.path("pooling_mode_cls_token").asBoolean(false)) {
      return Pooling.CLS;
    }
    if (json.path("pooling_mode_mean_tokens").asBoolean(false)) {
      return Pooling.MEAN;
    }
    throw new ModelBundleException(
        config
            + " asks for a pooling this project does not compute (only mean and cls tokens);"
            + " choose one with --pooling mean|cls");
  }
}
