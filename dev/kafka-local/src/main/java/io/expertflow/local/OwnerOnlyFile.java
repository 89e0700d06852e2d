package io.expertflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files holding secrets (passwords, SCRAM credentials) and folders of them (keys): created readable
 * and writable by their owner only, from the first byte, on a POSIX file system; elsewhere the
 * folder's own protection applies. Stateless.
 */
public final class OwnerOnlyFile {
  private OwnerOnlyFile() {}

  /**
   * Replaces {@code file} with {@code content}, creating its folder if needed.
   *
   * @throws UncheckedIOException naming the file if it cannot be written
   */
  public static void write(Path file, byte[] content) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.deleteIfExists(file);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates {@code dir} (and its parents) if missing and makes it accessible to its owner only, so
   * that secrets written into it by other programs are never readable by others.
   *
   * @throws UncheckedIOException naming the folder if it cannot be made
   */
  public static void folder(Path dir) {
    try {
      Files.createDirectories(dir);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not make " + dir + ": " + e.getMessage(), e);
    }
  }
}
