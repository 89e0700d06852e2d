package io.expertflow.operators.update;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Deterministic version ids: {@code u<yyyyMMdd of the window start, UTC>-<12 hex digits>}, the
 * digits from a SHA-256 over the model name, the parent version, the window start and a hash of
 * everything the update learned from. Re-running a window on the same inputs gives the same id, so
 * a restarted updater recognises work it has already published. Stateless.
 */
public final class VersionIds {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private VersionIds() {}

  public static String derive(
      String modelName, String parentVersion, Instant windowStart, byte[] contentHash) {
    MessageDigest sha = sha256();
    update(sha, modelName);
    update(sha, parentVersion);
    sha.update(ByteBuffer.allocate(Long.BYTES).putLong(windowStart.toEpochMilli()).array());
    sha.update(contentHash);
    String hex = HexFormat.of().formatHex(sha.digest());
    return "u" + DAY.format(windowStart) + "-" + hex.substring(0, 12);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Adds a length-prefixed UTF-8 string, so that concatenations cannot collide. */
  static void update(MessageDigest sha, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
    sha.update(bytes);
  }
}
