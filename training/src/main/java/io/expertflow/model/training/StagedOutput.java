package io.expertflow.model.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An output folder written in a hidden sibling and renamed into place at the end, so that a run
 * that fails or is stopped leaves no half-written bundle at the destination. The destination must
 * not exist, or be an empty folder. Not thread-safe.
 */
final class StagedOutput implements AutoCloseable {
  private final Path destination;
  private final Path staging;
  private boolean committed;

  private StagedOutput(Path destination, Path staging) {
    this.destination = destination;
    this.staging = staging;
  }

  /**
   * Creates the staging folder beside {@code destination}.
   *
   * @throws IllegalArgumentException when {@code destination} exists and is not an empty folder
   */
  static StagedOutput beside(Path destination) throws IOException {
    Path dest = destination.toAbsolutePath().normalize();
    if (Files.exists(dest) && !isEmptyFolder(dest)) {
      throw new IllegalArgumentException(
          "output folder "
              + destination
              + " already exists and is not empty; choose another --out or remove it");
    }
    Path parent = dest.getParent();
    try {
      Files.createDirectories(parent);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalArgumentException(
          "cannot make the output folder "
              + destination
              + ": "
              + e.getFile()
              + " is a file, not a folder; choose another --out",
          e);
    }
    Path staging = Files.createTempDirectory(parent, "." + dest.getFileName() + ".partial-");
    return new StagedOutput(dest, staging);
  }

  /** Where to write. */
  Path folder() {
    return staging;
  }

  /** Moves the written folder to its destination. */
  void commit() throws IOException {
    if (Files.exists(destination)) {
      Files.delete(destination); // an empty folder, checked at the start
    }
    try {
      Files.move(staging, destination, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staging, destination);
    }
    committed = true;
  }

  /** Deletes what was written unless it was committed. */
  @Override
  public void close() {
    if (!committed) {
      deleteTree(staging);
    }
  }

  private static boolean isEmptyFolder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove the partial output " + dir, e);
    }
  }
}
