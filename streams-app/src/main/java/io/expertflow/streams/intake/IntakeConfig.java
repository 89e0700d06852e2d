package io.expertflow.streams.intake;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Limits and policies of intake. Immutable; validated on construction.
 *
 * @param allowedTenants tenants whose requests are accepted; empty accepts every tenant
 * @param maxTextBytes largest accepted document, in UTF-8 bytes of the text or of all chunks
 * @param maxChunks most client-supplied chunks per request
 * @param maxPriority highest priority lane; priorities lie in [0, maxPriority]
 * @param dedupWindow a request id seen within this time (record time) is a duplicate
 */
public record IntakeConfig(
    Set<String> allowedTenants,
    int maxTextBytes,
    int maxChunks,
    int maxPriority,
    Duration dedupWindow) {

  public static final Set<String> DEFAULT_ALLOWED_TENANTS = Set.of();
  public static final int DEFAULT_MAX_TEXT_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_CHUNKS = 1024;
  public static final int DEFAULT_MAX_PRIORITY = 9;
  public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofHours(24);

  /** Dedup windows shorter than this cannot be kept by a segmented window store. */
  public static final Duration MIN_DEDUP_WINDOW = Duration.ofMinutes(1);

  public IntakeConfig {
    allowedTenants = Set.copyOf(Objects.requireNonNull(allowedTenants, "allowedTenants"));
    Objects.requireNonNull(dedupWindow, "dedupWindow");
    if (maxTextBytes < 1) {
      throw new IllegalArgumentException("intake max text bytes must be >= 1, was " + maxTextBytes);
    }
    if (maxChunks < 1) {
      throw new IllegalArgumentException("intake max chunks must be >= 1, was " + maxChunks);
    }
    if (maxPriority < 0) {
      throw new IllegalArgumentException("intake max priority must be >= 0, was " + maxPriority);
    }
    if (dedupWindow.compareTo(MIN_DEDUP_WINDOW) < 0) {
      throw new IllegalArgumentException(
          "intake dedup window must be at least " + MIN_DEDUP_WINDOW + ", was " + dedupWindow);
    }
  }

  public static IntakeConfig defaults() {
    return new IntakeConfig(
        DEFAULT_ALLOWED_TENANTS,
        DEFAULT_MAX_TEXT_BYTES,
        DEFAULT_MAX_CHUNKS,
        DEFAULT_MAX_PRIORITY,
        DEFAULT_DEDUP_WINDOW);
  }
}
