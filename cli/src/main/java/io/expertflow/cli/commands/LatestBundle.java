package io.expertflow.cli.commands;

import io.expertflow.model.bundle.ModelBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The most recently trained model bundle on this machine, remembered in the cache folder so that
 * {@code analyze}, {@code worker} and {@code updater} can do without {@code --bundle}. Every {@code
 * expertflow train} and the demo's training record their bundle.
 */
final class LatestBundle {
  static final String FILE = "latest-bundle";

  private LatestBundle() {}

  /** Remembers {@code modelDir} as the latest bundle (written atomically). */
  static void record(Path cacheDir, Path modelDir) {
    try {
      Files.createDirectories(cacheDir);
      Path tmp = Files.createTempFile(cacheDir, FILE, ".tmp");
      Files.writeString(tmp, modelDir.toAbsolutePath().normalize() + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, cacheDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("could not record the latest bundle in " + cacheDir, e);
    }
  }

  /**
   * {@code given} if not null (its {@code model/} folder when {@code given} is the folder that
   * {@code expertflow train --out} wrote, with the bundle inside), else the latest bundle recorded
   * in {@code cacheDir}, saying so on {@code err}.
   *
   * @throws IllegalArgumentException when neither exists, saying how to get a bundle
   */
  static Path resolve(Path given, Path cacheDir, PrintWriter err) {
    if (given != null) {
      return ModelBundle.locate(given);
    }
    Path file = cacheDir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      try {
        Path latest = Path.of(Files.readString(file, StandardCharsets.UTF_8).strip());
        if (Files.isRegularFile(latest.resolve(ModelBundle.MANIFEST_FILE))) {
          err.println(
              "using the most recently trained bundle " + latest + " (--bundle DIR for another)");
          err.flush();
          return latest;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + file, e);
      }
    }
    throw new IllegalArgumentException(
        "no --bundle given and no trained bundle recorded in "
            + cacheDir
            + ": train one (expertflow train --data FILE --out DIR), run ./expertflow demo, or pass"
            + " --bundle DIR");
  }
}
