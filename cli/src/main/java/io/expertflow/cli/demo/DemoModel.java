package io.expertflow.cli.demo;

import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.training.TrainingConfig;
import io.expertflow.model.training.TrainingPipeline;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.ReplayReservoir;
import io.expertflow.versions.BaseModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model a demo serves, and what the weekly update needs beside it: the replay reservoir and the
 * guard set that training wrote next to the bundle. A bundle without them (one the user brought) is
 * served, but not updated.
 *
 * @param bundle the served bundle
 * @param base the bundle as the updater and the followers know it
 * @param replay training samples per expert, or null
 * @param guard labelled documents the update must not regress on, or null
 */
public record DemoModel(
    ModelBundle bundle, BaseModel base, ReplayReservoir replay, GuardSet guard) {
  /**
   * The label the demo model is trained without, and which its label set lacks: the Brown corpus's
   * "learned" genre (scientific and scholarly writing). Its documents are the new kind of traffic
   * of the simulated week, and the weekly update adds the label from the users' corrections.
   */
  public static final String HELD_OUT_LABEL = TrainingConfig.RECOMMENDED_HELD_OUT_LABEL;

  /**
   * Documents per label the demo model trains on: fewer than {@code expertflow train}'s {@value
   * io.expertflow.model.training.TrainingConfig#DEFAULT_DOCS_PER_LABEL} (it only caps the two mail
   * labels; every Brown genre has fewer), so that a first demo embeds its corpora in minutes.
   * Together with {@link DemoStack#MAX_CHUNKS_PER_DOCUMENT} it is the demo's recipe.
   */
  public static final int DOCS_PER_LABEL = 150;

  /**
   * The training recipe in the cache folder's name, the encoder's id after it: a demo model trained
   * by an earlier trainer (before sparse upcycling, before the upcycling started from the logistic
   * regression and chose epochs by validation loss, before the wider experts with principal spare
   * units, before balancing over the documents it serves, before experts no document chose were
   * revived, with the held-out label still in its label set, or without the TF-IDF model served
   * beside the head) or on another encoder (the dynamically quantized int8 MiniLM before the static
   * one became the default) is not reused but trained again.
   */
  static final String RECIPE = "linear-start-principal-docbalanced-revived-absent-tfidf";

  /** Folder of the demo model under the cache's {@code bundles/}, with the default encoder. */
  public static final String CACHE_FOLDER = cacheFolder(EncoderVariant.DEFAULT);

  /** Loads the bundle in {@code modelDir} and, if they are next to it, the update's inputs. */
  public static DemoModel load(Path modelDir) {
    ModelBundle bundle = ModelBundle.load(modelDir);
    Path root = modelDir.toAbsolutePath().getParent();
    ReplayReservoir replay = null;
    GuardSet guard = null;
    if (root != null
        && Files.isRegularFile(root.resolve(TrainingPipeline.RESERVOIR_FILE))
        && Files.isRegularFile(root.resolve(TrainingPipeline.GUARD_SET_FILE))) {
      try (InputStream r = Files.newInputStream(root.resolve(TrainingPipeline.RESERVOIR_FILE));
          InputStream g = Files.newInputStream(root.resolve(TrainingPipeline.GUARD_SET_FILE))) {
        replay = ReplayReservoir.readFrom(r);
        guard = GuardSet.readFrom(g);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read the replay reservoir or guard set beside "
                + modelDir
                + ": "
                + e.getMessage()
                + "; retrain the model or delete the folder",
            e);
      }
    }
    return new DemoModel(bundle, BaseModel.of(bundle), replay, guard);
  }

  /** Folder of the demo model trained with {@code encoder} under the cache's {@code bundles/}. */
  static String cacheFolder(EncoderVariant encoder) {
    return "demo-shift-" + HELD_OUT_LABEL + "-" + RECIPE + "-" + encoder.id();
  }

  /**
   * The model folder of the demo model in {@code cacheDir}, trained with {@code encoder} on at most
   * {@code docsPerLabel} documents per label.
   */
  public static Path cachedModelDir(Path cacheDir, int docsPerLabel, EncoderVariant encoder) {
    String folder =
        docsPerLabel == DOCS_PER_LABEL
            ? cacheFolder(encoder)
            : cacheFolder(encoder) + "-" + docsPerLabel + "-per-label";
    return cacheDir.resolve("bundles").resolve(folder).resolve(TrainingPipeline.MODEL_DIR);
  }

  /** Whether the weekly update can run on this model. */
  public boolean updatable() {
    return replay != null && guard != null;
  }
}
