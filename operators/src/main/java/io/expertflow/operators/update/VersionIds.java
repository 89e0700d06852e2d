package io.expertflow.operators.update;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

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

  /**
   * A hash of what the update learns from and is judged on besides the parent: plan, feedback (with
   * the TF-IDF evidence it carries) and settings.
   */
  static byte[] contentHash(UpdateInputs in, ExpertUpdatePlan plan, UpdateConfig config) {
    MessageDigest sha = sha256();
    update(sha, plan.scope().name() + "|" + plan.windowEnd().toEpochMilli());
    if (!in.addedLabels().isEmpty()) {
      update(sha, "added labels:" + in.addedLabels());
    }
    for (ExpertUpdatePlan.Decision d : plan.chosen()) {
      update(sha, d.expert() + ":" + d.labels());
    }
    List<FeedbackSample> feedback = new ArrayList<>(in.feedback());
    feedback.sort(Comparator.comparing(FeedbackSample::id));
    ByteBuffer buffer = ByteBuffer.allocate(Float.BYTES * in.serving().config().hidden() + 4);
    for (FeedbackSample s : feedback) {
      update(sha, s.id());
      buffer.clear();
      buffer.putInt(s.label());
      for (float v : s.embedding()) {
        buffer.putInt(Float.floatToRawIntBits(v));
      }
      sha.update(buffer.array(), 0, buffer.position());
      // the evidence judges the held-out part and so decides between candidates; feedback without
      // any hashes as before the evidence existed, so its version id is unchanged
      if (s.evidence().length > 0) {
        ByteBuffer e = ByteBuffer.allocate(Long.BYTES * s.evidence().length);
        for (double v : s.evidence()) {
          e.putLong(Double.doubleToLongBits(v));
        }
        update(sha, "evidence");
        sha.update(e.array());
      }
    }
    update(sha, settings(config));
    return sha.digest();
  }

  /**
   * The settings as they are hashed: the record's own text, less the settings added later where
   * they are off (a non-private update is hashed as before DP existed, one without the targeted
   * back-off as before it existed), so that their version ids stay as they were. A setting added
   * later must be left out the same way where it keeps its default.
   */
  static String settings(UpdateConfig config) {
    String settings =
        config.targetedBackoff()
            ? config.toString()
            : config.toString().replace(", targetedBackoff=false", "");
    return config.dp().enabled() ? settings : settings.replace(", dp=" + config.dp(), "");
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
