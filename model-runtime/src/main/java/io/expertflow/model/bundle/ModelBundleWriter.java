package io.expertflow.model.bundle;

import io.expertflow.model.engine.EncoderSignature;
import io.expertflow.model.engine.HeadSignature;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.model.onnx.MoeHeadOnnxBuilder;
import io.expertflow.operators.moe.LabelNames;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.schemas.errors.ErrorText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes a model bundle: the encoder and tokenizer (from the class path, from files, or from an
 * existing bundle), the head as ONNX and as raw weights, the labels, the TF-IDF model to serve
 * beside the head if there is one, and last the manifest with the checksum of every file, so that a
 * half-written bundle never loads.
 *
 * <p>A builder: not thread-safe, one per bundle.
 */
public final class ModelBundleWriter {
  private final String name;
  private final String version;
  private Path encoderModel;
  private Path tokenizer;
  private EncoderVariant resources;
  private String encoderVariant;
  private EncoderSignature signature = EncoderSignature.defaults();
  private MoeHeadWeights weights;
  private Clock clock = Clock.systemUTC();
  private Integer trainedMaxChunks;
  private LexicalModel lexical;

  /** What a version derived from the bundle's files starts with. */
  public static final String CONTENT_VERSION_PREFIX = "b-";

  /** Hex digits of the files' hash in a version derived from them. */
  static final int CONTENT_VERSION_DIGITS = 12;

  /** {@code version} null: derived from the files when they are written. */
  private ModelBundleWriter(String name, String version) {
    this.name = requireText(name, "name");
    this.version = version;
  }

  /** Starts a bundle with this model name and version. */
  public static ModelBundleWriter create(String name, String version) {
    return new ModelBundleWriter(name, requireText(version, "version"));
  }

  /**
   * Starts a bundle with this model name whose version is derived from its files ({@link
   * #contentVersion}): the same training writes the same version, any other another, so responses
   * and audit records tell two trainings apart.
   */
  public static ModelBundleWriter create(String name) {
    return new ModelBundleWriter(name, null);
  }

  /**
   * The version a bundle of these files gets when none is given: {@value #CONTENT_VERSION_PREFIX}
   * and the first 12 hex digits of a SHA-256 over every file's name and checksum, in name order
   * ({@code b-3f9c2a1d4e5f}). The encoder is one of the files, so the same head over another
   * encoder is another version.
   *
   * @param files file name to SHA-256, as the manifest lists them
   */
  public static String contentVersion(Map<String, String> files) {
    StringBuilder listing = new StringBuilder();
    new TreeMap<>(files)
        .forEach((file, sha) -> listing.append(file).append('=').append(sha).append('\n'));
    return CONTENT_VERSION_PREFIX
        + Checksums.sha256(listing.toString().getBytes(StandardCharsets.UTF_8))
            .substring(0, CONTENT_VERSION_DIGITS);
  }

  /** Uses a pretrained encoder shipped on the class path. */
  public ModelBundleWriter encoder(EncoderVariant variant) {
    this.resources = Objects.requireNonNull(variant, "variant");
    this.encoderVariant = variant.id();
    this.signature = variant.signature();
    this.encoderModel = null;
    this.tokenizer = null;
    return this;
  }

  /** Uses an encoder and tokenizer from files, e.g. a user's own export. */
  public ModelBundleWriter encoder(
      Path model, Path tokenizerJson, String variant, EncoderSignature encoderSignature) {
    this.encoderModel = Objects.requireNonNull(model, "model");
    this.tokenizer = Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    this.encoderVariant = requireText(variant, "variant");
    this.signature = Objects.requireNonNull(encoderSignature, "encoderSignature");
    this.resources = null;
    return this;
  }

  /**
   * Reuses the encoder and tokenizer of an existing bundle (a new head version), what it says about
   * its training's chunk cap, and its TF-IDF model.
   */
  public ModelBundleWriter encoderOf(ModelBundle base) {
    this.trainedMaxChunks = base.manifest().trainedMaxChunks();
    this.lexical = base.readLexical().orElse(null);
    return encoder(
        base.encoderFile(),
        base.tokenizerFile(),
        base.manifest().encoderVariant(),
        base.manifest().encoder());
  }

  /** The head's weights; its config gives the sizes and labels. */
  public ModelBundleWriter head(MoeHeadWeights headWeights) {
    this.weights = Objects.requireNonNull(headWeights, "headWeights");
    return this;
  }

  /**
   * The TF-IDF model to serve beside the head ({@value LexicalModel#FILE}, listed in the
   * checksums); null, the default, for the head alone.
   */
  public ModelBundleWriter lexical(LexicalModel value) {
    this.lexical = value;
    return this;
  }

  /** The most chunks per document the head was trained on, recorded in the manifest. */
  public ModelBundleWriter trainedMaxChunks(int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("trainedMaxChunks must be > 0, was " + value);
    }
    this.trainedMaxChunks = value;
    return this;
  }

  /** The clock that stamps {@code created}; the system clock by default. */
  public ModelBundleWriter clock(Clock value) {
    this.clock = Objects.requireNonNull(value, "clock");
    return this;
  }

  /**
   * Writes the bundle into {@code dir} (created if absent; it must not hold files) and loads it
   * back, verified.
   */
  public ModelBundle write(Path dir) {
    if (encoderVariant == null || weights == null) {
      throw new IllegalStateException("a bundle needs an encoder and a head before it is written");
    }
    for (String label : weights.config().labels()) {
      // labels.txt holds one label per line: refuse what would not read back as written
      LabelNames.problem(label)
          .ifPresent(
              p -> {
                throw new IllegalArgumentException("cannot write the bundle's labels: " + p);
              });
    }
    try {
      prepare(dir);
      if (resources != null) {
        EncoderResources.extract(resources, dir);
      } else {
        copy(encoderModel, dir.resolve(ModelBundle.ENCODER_FILE));
        copy(tokenizer, dir.resolve(ModelBundle.TOKENIZER_FILE));
      }
      MoeHeadConfig config = weights.config();
      Files.write(dir.resolve(ModelBundle.HEAD_FILE), MoeHeadOnnxBuilder.build(weights));
      HeadWeightsFormat.write(weights, dir.resolve(ModelBundle.HEAD_WEIGHTS_FILE));
      Files.writeString(
          dir.resolve(ModelBundle.LABELS_FILE),
          String.join("\n", config.labels()) + "\n",
          StandardCharsets.UTF_8);
      Map<String, String> files = new LinkedHashMap<>();
      for (String file : ModelBundle.FILES) {
        files.put(file, Checksums.sha256(dir.resolve(file)));
      }
      if (lexical != null) {
        lexical.write(dir.resolve(LexicalModel.FILE));
        files.put(LexicalModel.FILE, Checksums.sha256(dir.resolve(LexicalModel.FILE)));
      }
      BundleManifest manifest =
          new BundleManifest(
              name,
              version == null ? contentVersion(files) : version,
              clock.instant(),
              encoderVariant,
              config.hidden(),
              config.experts(),
              config.topK(),
              config.expertHidden(),
              config.domains(),
              config.labelCount(),
              signature,
              HeadSignature.defaults(),
              files,
              trainedMaxChunks);
      ManifestJson.write(manifest, dir.resolve(ModelBundle.MANIFEST_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write model bundle " + dir + ": " + ErrorText.of(e), e);
    }
    return ModelBundle.load(dir);
  }

  private static void prepare(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> existing = Files.list(dir)) {
      if (existing.findAny().isPresent()) {
        throw new ModelBundleException(
            "cannot write a model bundle into " + dir + ": the folder is not empty");
      }
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    if (!Files.isRegularFile(from)) {
      throw new ModelBundleException("cannot copy " + from + " into the bundle: no such file");
    }
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }
}
