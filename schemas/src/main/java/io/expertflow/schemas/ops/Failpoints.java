package io.expertflow.schemas.ops;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named points in the code where a fault test may hold a process still, so that a SIGKILL lands at
 * exactly that point (for example between the tensors and the history record of a version the
 * updater publishes). Off unless the environment variable {@value #ENV} names them, as {@code
 * name=pause:DURATION[,name=pause:DURATION...]} with an ISO-8601 duration ({@code PT60S}); a point
 * pauses only the first time it is reached in a process. {@code expertflow chaos} sets it on the
 * processes it kills; nothing else should.
 *
 * <p>Thread-safe. When {@value #ENV} is unset, {@link #reach} is a lookup in an empty map.
 */
public final class Failpoints {
  /** The environment variable that arms failpoints. */
  public static final String ENV = "EXPERTFLOW_FAILPOINTS";

  /** The names of every failpoint the code has; {@link #parse} refuses others. */
  public static final Set<String> KNOWN =
      Set.of(
          "versions.publish.after-tensors", // VersionPublisher: tensors written, no history record
          "versions.publish.after-history"); // VersionPublisher: history written, no serving record

  private static final Logger LOG = LoggerFactory.getLogger(Failpoints.class);
  private static final Map<String, Duration> ARMED = new LinkedHashMap<>();

  static {
    String spec = System.getenv(ENV);
    if (spec != null && !spec.isBlank()) {
      try {
        ARMED.putAll(parse(spec));
      } catch (IllegalArgumentException e) {
        // a mistyped failpoint must not stop a service; it is said once and ignored
        LOG.error("{} ignored: {}", ENV, e.getMessage());
      }
    }
  }

  private Failpoints() {}

  /**
   * Pauses the calling thread if {@code name} is armed and has not paused yet in this process. The
   * log line it writes first ({@code failpoint NAME reached}) is what a fault test waits for.
   */
  public static void reach(String name) {
    Duration pause;
    synchronized (ARMED) {
      pause = ARMED.remove(name);
    }
    if (pause == null) {
      return;
    }
    LOG.warn("failpoint {} reached: pausing {} s ({} is set)", name, pause.toSeconds(), ENV);
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The failpoints armed in this process and not reached yet. */
  public static Map<String, Duration> armed() {
    synchronized (ARMED) {
      return Map.copyOf(ARMED);
    }
  }

  /**
   * Parses a {@value #ENV} value.
   *
   * @throws IllegalArgumentException naming the part that is not {@code known-name=pause:DURATION}
   */
  public static Map<String, Duration> parse(String spec) {
    Map<String, Duration> out = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String name = eq < 0 ? p : p.substring(0, eq).strip();
      String action = eq < 0 ? "" : p.substring(eq + 1).strip();
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException(
            "unknown failpoint '" + name + "' in '" + p + "'; known: " + KNOWN);
      }
      if (!action.startsWith("pause:")) {
        throw new IllegalArgumentException(
            "failpoint '" + p + "' must read " + name + "=pause:DURATION (e.g. pause:PT60S)");
      }
      try {
        Duration d = Duration.parse(action.substring("pause:".length()));
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("failpoint '" + p + "' needs a positive pause");
        }
        out.put(name, d);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "failpoint '" + p + "': the pause is not an ISO-8601 duration such as PT60S", e);
      }
    }
    return out;
  }
}
