package io.expertflow.model.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files and streams, as lower-case hex. Stateless and thread-safe. */
public final class Checksums {
  private Checksums() {}

  /** The SHA-256 of a file. */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return copy(in, OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " for its checksum", e);
    }
  }

  /** The SHA-256 of bytes. */
  public static String sha256(byte[] data) {
    return HexFormat.of().formatHex(digest().digest(data));
  }

  /** Copies {@code in} to {@code out} and returns the SHA-256 of what was copied. */
  public static String copy(InputStream in, OutputStream out) throws IOException {
    MessageDigest digest = digest();
    try (DigestInputStream din = new DigestInputStream(in, digest)) {
      din.transferTo(out);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
