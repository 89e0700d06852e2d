package io.expertflow.operators.privacy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who gave a feedback event, as the private update counts privacy: the event's {@code source} (a
 * user or system id). Feedback without a source is one anonymous user, {@link #ANONYMOUS}: the
 * update cannot tell such events apart, so it treats them as one person's, which is the safe
 * reading (all of them share one user's sample cap and one privacy budget). Ids are stored only as
 * {@link #hash}es. Stateless.
 */
public final class FeedbackUsers {
  /** The user of feedback that named no source. */
  public static final String ANONYMOUS = "unknown";

  private FeedbackUsers() {}

  /** The user of a feedback event with this source. */
  public static String of(CharSequence source) {
    return source == null || source.toString().isBlank() ? ANONYMOUS : source.toString();
  }

  /**
   * The pseudonym a version record keeps for a user: the first 16 bytes of a SHA-256 over the id,
   * in hex. It lets the updater add up a user's privacy spend across versions without writing the
   * id to the topic; it is not anonymisation (a known id can be hashed and looked up).
   */
  public static String hash(String user) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("expertflow feedback user\0".getBytes(StandardCharsets.UTF_8));
      byte[] digest = sha.digest(user.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
