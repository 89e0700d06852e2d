package io.expertflow.model.bundle;

import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.schemas.errors.ErrorText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A model bundle: a folder with the encoder, the MoE head (as ONNX and as raw weights), the
 * tokenizer, the label set and a manifest that names sizes, tensor names and the SHA-256 of every
 * file. A user's own bundle works as long as it follows the manifest; nothing here is specific to
 * the demo model.
 *
 * <p>{@link #load} verifies every checksum before anything is used. Immutable and thread-safe once
 * loaded; the files must not change while sessions are opened from them.
 */
public final class ModelBundle {
  public static final String ENCODER_FILE = EncoderResources.ENCODER_FILE;
  public static final String TOKENIZER_FILE = EncoderResources.TOKENIZER_FILE;
  public static final String HEAD_FILE = "head.onnx";
  public static final String HEAD_WEIGHTS_FILE = "head.weights";
  public static final String LABELS_FILE = "labels.txt";
  public static final String MANIFEST_FILE = "manifest.json";

  /** The folder inside a training output folder ({@code train --out DIR}) that holds the bundle. */
  public static final String IN_TRAINING_OUTPUT = "model";

  /** The files every bundle has besides the manifest, all listed in its checksums. */
  public static final List<String> FILES =
      List.of(ENCODER_FILE, HEAD_FILE, HEAD_WEIGHTS_FILE, TOKENIZER_FILE, LABELS_FILE);

  private final Path dir;
  private final BundleManifest manifest;
  private final MoeHeadConfig headConfig;

  private ModelBundle(Path dir, BundleManifest manifest, MoeHeadConfig headConfig) {
    this.dir = dir;
    this.manifest = manifest;
    this.headConfig = headConfig;
  }

  /**
   * The bundle folder {@code given} names: {@code given} itself, or its {@link #IN_TRAINING_OUTPUT}
   * folder when {@code given} is the folder {@code expertflow train --out} wrote (no manifest of
   * its own, one in that folder). Nothing is loaded or checked.
   */
  public static Path locate(Path given) {
    Path inside = given.resolve(IN_TRAINING_OUTPUT);
    return !Files.isRegularFile(given.resolve(MANIFEST_FILE))
            && Files.isRegularFile(inside.resolve(MANIFEST_FILE))
        ? inside
        : given;
  }

  /**
   * A hint naming the bundles one level below {@code dir} (as {@code expertflow train --out DIR}
   * writes its bundle to {@code DIR/model}), or "" when there is none.
   */
  private static String bundlesInside(Path dir) {
    List<Path> inside;
    try (Stream<Path> children = Files.list(dir)) {
      inside =
          children
              .filter(c -> Files.isRegularFile(c.resolve(MANIFEST_FILE)))
              .sorted()
              .limit(3)
              .toList();
    } catch (IOException e) {
      return "";
    }
    return inside.isEmpty()
        ? ""
        : "; a bundle is in "
            + inside.stream().map(Path::toString).collect(Collectors.joining(", "))
            + " (expertflow train --out DIR writes it to DIR/model)";
  }

  /**
   * Loads and verifies the bundle in {@code dir}.
   *
   * @throws ModelBundleException naming the missing file, the file whose checksum differs (with
   *     expected and actual values) or the bad manifest field
   */
  public static ModelBundle load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ModelBundleException(
          "model bundle "
              + dir
              + (Files.exists(dir) ? " is not a folder" : ": no such folder")
              + "; give the folder that 'expertflow train --out DIR' wrote, or its model/");
    }
    Path manifestFile = dir.resolve(MANIFEST_FILE);
    if (!Files.isRegularFile(manifestFile)) {
      throw new ModelBundleException(
          "model bundle " + dir + " has no " + MANIFEST_FILE + bundlesInside(dir));
    }
    BundleManifest manifest = ManifestJson.read(manifestFile);
    for (String name : FILES) {
      if (!manifest.files().containsKey(name)) {
        throw new ModelBundleException(
            manifestFile
                + ": field 'files."
                + name
                + "' is missing; every bundle file needs a checksum");
      }
    }
    for (var entry : manifest.files().entrySet()) {
      Path file = dir.resolve(entry.getKey()).normalize();
      if (!file.startsWith(dir.normalize()) || !Files.isRegularFile(file)) {
        throw new ModelBundleException(
            "model bundle "
                + dir
                + " is missing file "
                + entry.getKey()
                + " listed in its manifest");
      }
      String actual = Checksums.sha256(file);
      if (!actual.equals(entry.getValue())) {
        throw new ModelBundleException(
            "model bundle "
                + dir
                + ": checksum mismatch for "
                + entry.getKey()
                + ": expected "
                + entry.getValue()
                + ", actual "
                + actual
                + "; the file was changed or corrupted");
      }
    }
    MoeHeadConfig config = manifest.headConfig(readLabels(dir.resolve(LABELS_FILE)));
    return new ModelBundle(dir, manifest, config);
  }

  public Path dir() {
    return dir;
  }

  public BundleManifest manifest() {
    return manifest;
  }

  /** The head's shape with its label names. */
  public MoeHeadConfig headConfig() {
    return headConfig;
  }

  /** The label names, in output order. */
  public List<String> labels() {
    return headConfig.labels();
  }

  public Path encoderFile() {
    return dir.resolve(ENCODER_FILE);
  }

  public Path headFile() {
    return dir.resolve(HEAD_FILE);
  }

  public Path tokenizerFile() {
    return dir.resolve(TOKENIZER_FILE);
  }

  /** Whether the bundle carries a TF-IDF model ({@value LexicalModel#FILE}); nothing is read. */
  public boolean hasLexical() {
    return manifest.files().containsKey(LexicalModel.FILE);
  }

  /**
   * The TF-IDF model this bundle serves beside its head ({@value LexicalModel#FILE}, optional),
   * read anew on every call; empty when the bundle serves the head alone.
   *
   * @throws ModelBundleException if the file is not a TF-IDF model this build reads, or was trained
   *     on labels the head does not have
   */
  public Optional<LexicalModel> readLexical() {
    if (!hasLexical()) {
      return Optional.empty();
    }
    LexicalModel model;
    try {
      model = LexicalModel.read(dir.resolve(LexicalModel.FILE));
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new ModelBundleException("model bundle " + dir + ": " + e.getMessage(), e);
    }
    if (!headConfig.labels().containsAll(model.labels())) {
      throw new ModelBundleException(
          "model bundle "
              + dir
              + ": "
              + LexicalModel.FILE
              + " was trained on labels "
              + model.labels()
              + ", the head has "
              + headConfig.labels());
    }
    return Optional.of(model);
  }

  /** Reads the head's raw weights (a fresh, mutable copy on every call). */
  public MoeHeadWeights readHeadWeights() {
    MoeHeadWeights weights = HeadWeightsFormat.read(dir.resolve(HEAD_WEIGHTS_FILE));
    if (!weights.config().equals(headConfig)) {
      throw new ModelBundleException(
          "model bundle "
              + dir
              + ": "
              + HEAD_WEIGHTS_FILE
              + " holds a head of shape "
              + weights.config()
              + ", the manifest and labels say "
              + headConfig);
    }
    return weights;
  }

  /** Opens the bundle's encoder on {@code engine}. */
  public EncoderSession openEncoder(Engine engine) {
    return engine.openEncoder(encoderFile(), manifest.encoder());
  }

  /** Opens the bundle's head on {@code engine}. */
  public HeadSession openHead(Engine engine) {
    return engine.openHead(headFile(), manifest.head(), headConfig);
  }

  static List<String> readLabels(Path file) {
    try {
      List<String> labels = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          labels.add(line.strip());
        }
      }
      return labels;
    } catch (IOException e) {
      throw new ModelBundleException("cannot read labels " + file + ": " + ErrorText.of(e), e);
    }
  }
}
