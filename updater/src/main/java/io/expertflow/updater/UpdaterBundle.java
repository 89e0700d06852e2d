package io.expertflow.updater;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.training.TrainingPipeline;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.ReplayReservoir;
import io.expertflow.schemas.errors.ErrorText;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.versions.BaseModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the updater needs beside Kafka, loaded from disk and checked against each other: the base
 * model bundle, its replay reservoir ({@value #RESERVOIR_FILE}) and its guard set ({@value
 * #GUARD_SET_FILE}), as {@code expertflow train --out DIR} writes them ({@code DIR/model/} and the
 * two files in {@code DIR}). {@link #service} assembles an {@link UpdaterService} from them.
 * Immutable once loaded; safe to share.
 *
 * @param bundleDir the model bundle folder
 * @param base the bundle as the updater sees it (name, version, checksum, head weights)
 * @param replay the training samples each expert routes, replayed beside the feedback
 * @param guard the fixed labelled set an update must not regress
 */
public record UpdaterBundle(
    Path bundleDir, BaseModel base, ReplayReservoir replay, GuardSet guard) {
  public static final String RESERVOIR_FILE = TrainingPipeline.RESERVOIR_FILE;
  public static final String GUARD_SET_FILE = TrainingPipeline.GUARD_SET_FILE;
  public static final String MODEL_DIR = TrainingPipeline.MODEL_DIR;

  public UpdaterBundle {
    Objects.requireNonNull(bundleDir, "bundleDir");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(replay, "replay");
    Objects.requireNonNull(guard, "guard");
  }

  /**
   * Loads from {@code folder}: either a training output folder (with {@code model/} inside) or the
   * bundle folder itself; the reservoir and guard set are looked for in the bundle folder, then in
   * its parent.
   *
   * @throws IllegalArgumentException if the bundle, the reservoir or the guard set is missing, or
   *     they do not fit each other (labels, embedding size, experts), or the guard set is empty
   */
  public static UpdaterBundle load(Path folder) {
    Path dir = ModelBundle.locate(folder);
    if (!Files.isRegularFile(dir.resolve(ModelBundle.MANIFEST_FILE))) {
      throw new IllegalArgumentException(
          "no model bundle in "
              + folder
              + " (no "
              + ModelBundle.MANIFEST_FILE
              + " there or in "
              + MODEL_DIR
              + "/); give the folder that 'expertflow train --out DIR' wrote");
    }
    ModelBundle bundle = ModelBundle.load(dir);
    BaseModel base = BaseModel.of(bundle);
    ReplayReservoir replay =
        read(dir, RESERVOIR_FILE, "replay reservoir", ReplayReservoir::readFrom);
    GuardSet guard = read(dir, GUARD_SET_FILE, "guard set", GuardSet::readFrom);
    MoeHeadConfig head = base.weights().config();
    check(replay.labels(), replay.experts(), head, RESERVOIR_FILE, dir);
    check(guard.labels(), head.experts(), head, GUARD_SET_FILE, dir);
    if (guard.dim() != head.hidden()) {
      throw new IllegalArgumentException(
          GUARD_SET_FILE
              + " holds embeddings of size "
              + guard.dim()
              + ", the head of "
              + dir
              + " takes "
              + head.hidden()
              + "; use the guard set written with this bundle");
    }
    if (guard.samples().isEmpty()) {
      throw new IllegalArgumentException(
          GUARD_SET_FILE
              + " of "
              + dir
              + " holds no documents, so every update would pass it; train the bundle with test"
              + " documents of its labels ('expertflow train --guard-per-label N', N at least 1)");
    }
    return new UpdaterBundle(dir, base, replay, guard);
  }

  /**
   * The updater service on this bundle: the static factory the CLI and the demo use.
   *
   * @param kafkaProperties connection settings of the Kafka clients (bootstrap servers, security)
   * @param listener observes every published or rejected version, on the service's loop thread
   */
  public UpdaterService service(
      UpdaterConfig config,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      Clock clock,
      UpdateListener listener) {
    return new UpdaterService(
        config, kafkaProperties, registry, base, replay, guard, clock, listener);
  }

  /** Loads {@code folder} and assembles an updater service on it with the system clock. */
  public static UpdaterService service(
      Path folder,
      UpdaterConfig config,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      UpdateListener listener) {
    return load(folder).service(config, kafkaProperties, registry, Clock.systemUTC(), listener);
  }

  private interface Reader<T> {
    T read(InputStream in) throws IOException;
  }

  private static <T> T read(Path dir, String file, String what, Reader<T> reader) {
    for (Path candidate :
        List.of(dir.resolve(file), dir.toAbsolutePath().getParent().resolve(file))) {
      if (Files.isRegularFile(candidate)) {
        try (InputStream in = Files.newInputStream(candidate)) {
          return reader.read(in);
        } catch (IOException e) {
          throw new IllegalArgumentException(
              "cannot read the " + what + " " + candidate + ": " + ErrorText.of(e), e);
        }
      }
    }
    throw new IllegalArgumentException(
        "no "
            + what
            + " for the bundle "
            + dir
            + ": "
            + file
            + " is neither in it nor beside it. 'expertflow train --out DIR' writes it into DIR"
            + " next to DIR/"
            + MODEL_DIR
            + "; without it the updater cannot "
            + (file.equals(RESERVOIR_FILE)
                ? "replay what the experts already know"
                : "check that an update does not regress"));
  }

  private static void check(
      List<String> labels, int experts, MoeHeadConfig head, String file, Path dir) {
    if (!labels.equals(head.labels()) || experts != head.experts()) {
      throw new IllegalArgumentException(
          file
              + " was written for "
              + experts
              + " experts and labels "
              + labels
              + ", the head of "
              + dir
              + " has "
              + head.experts()
              + " experts and labels "
              + head.labels()
              + "; use the files written with this bundle");
    }
  }
}
