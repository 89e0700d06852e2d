package io.expertflow.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * Logs a Kafka client's warning at most once per {@link #WINDOW_SECONDS} seconds while it repeats
 * word for word but for its numbers (the same client, node and message; another request's
 * correlation id): a client that cannot reach a broker warns at every reconnect, about twice a
 * second, so a broker down for five minutes buried everything else under hundreds of identical
 * lines from each client, and a worker started against a wrong address printed fifty before its
 * error. The first of each window is logged, and once per process a line says that repeats are held
 * back. Errors and the project's own warnings pass untouched.
 *
 * <p>Registered in the command's {@code logback.xml}; thread-safe.
 */
public final class RepeatedKafkaWarnings extends TurboFilter {

  /** How long an identical warning is held back after it was logged. */
  public static final int WINDOW_SECONDS = 30;

  /** Beyond this many distinct warnings remembered, the memory starts over. */
  private static final int MAX_REMEMBERED = 1024;

  private static final String KAFKA_LOGGERS = "org.apache.kafka.";

  private final Map<String, Long> loggedAt = new ConcurrentHashMap<>();
  private final AtomicBoolean told = new AtomicBoolean();
  private final LongSupplier nanoTime;

  public RepeatedKafkaWarnings() {
    this(System::nanoTime);
  }

  RepeatedKafkaWarnings(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    // format is null where a caller only asks whether the level is enabled
    if (level != Level.WARN || format == null || !logger.getName().startsWith(KAFKA_LOGGERS)) {
      return FilterReply.NEUTRAL;
    }
    String key = logger.getName() + '\u0000' + format + '\u0000' + arguments(params);
    long now = nanoTime.getAsLong();
    long window = TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);
    boolean[] log = {false};
    if (loggedAt.size() > MAX_REMEMBERED) {
      loggedAt.clear();
    }
    loggedAt.compute(
        key,
        (k, last) -> {
          if (last == null || now - last >= window) {
            log[0] = true;
            return now;
          }
          return last;
        });
    if (log[0]) {
      return FilterReply.NEUTRAL;
    }
    if (told.compareAndSet(false, true)) {
      // the context this filter serves, so the line goes where the warnings go
      ((LoggerContext) getContext())
          .getLogger(RepeatedKafkaWarnings.class)
          .info(
              "A Kafka client warning repeats; the same warning is logged at most once every {} s",
              WINDOW_SECONDS);
    }
    return FilterReply.DENY;
  }

  /**
   * The arguments as the key compares them: a number counts as any number, since the numbers
   * Kafka's clients log are request correlation ids, new with every request (node ids are strings
   * there), so a metadata warning repeated for every request still repeats.
   */
  private static String arguments(Object[] params) {
    if (params == null) {
      return "";
    }
    StringBuilder key = new StringBuilder();
    for (Object p : params) {
      key.append(p instanceof Number ? "#" : Arrays.deepToString(new Object[] {p}))
          .append('\u0000');
    }
    return key.toString();
  }
}
