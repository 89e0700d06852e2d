package io.expertflow.cli.chaos;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.updater.UpdaterBundle;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The model bundle a chaos run serves: the one given with --bundle, else the tiny TEST bundle. */
final class ChaosBundle {
  private ChaosBundle() {}

  /**
   * The bundle folder to serve. A folder that {@code expertflow train --out} wrote holds the bundle
   * in {@code model/}. Without one, the tiny TEST bundle is written into {@code dir}, with a TEST
   * replay reservoir and guard set beside it when {@code updaterKill} needs an updater; a given
   * bundle is checked for the updater's inputs then, so that the run fails now, with the reason,
   * rather than at the first updater-kill.
   */
  static Path resolve(Path given, Path dir, boolean updaterKill, PrintWriter out) {
    Path bundleDir = given == null ? null : ModelBundle.locate(given);
    if (bundleDir == null) {
      bundleDir =
          ModelBundles.tiny(dir.toAbsolutePath().resolve("bundle"), List.of("a", "b", "c")).dir();
      out.println("model: the tiny TEST bundle (random weights, labels a, b, c), " + bundleDir);
      if (updaterKill && TestUpdaterFiles.writeIfMissing(bundleDir, 42)) {
        out.println(
            "updater: a TEST replay reservoir and guard set (random vectors the head labels) beside"
                + " the TEST bundle");
      }
    } else if (updaterKill) {
      UpdaterBundle.load(bundleDir);
    }
    return bundleDir;
  }
}
