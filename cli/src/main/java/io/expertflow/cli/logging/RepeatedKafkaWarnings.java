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
import java.util.regex.Pattern;
import org.slf4j.Marker;

/**
 * Logs a Kafka client's warning at most once per {@link #WINDOW_SECONDS} seconds while it repeats
 * word for word (the same client, node and message; a request's correlation id aside): a client
 * that cannot reach a broker warns at every reconnect, about twice a second, so a broker down for
 * five minutes buried everything else under hundreds of identical lines from each client, and a
 * worker started against a wrong address printed fifty before its error. The first of each window
 * is logged, and once per process a line says that repeats are held back. Errors and the project's
 * own warnings pass untouched.
 *
 * <p>Registered in the command's {@code logback.xml}; thread-safe.
 */
public final class RepeatedKafkaWarnings extends TurboFilter {

  /** How long an identical warning is held back after it was logged. */
  public static final int WINDOW_SECONDS = 30;

  /** Beyond this many distinct warnings remembered, the memory starts over. */
  private static final int MAX_REMEMBERED = 1024;

  private static final String KAFKA_LOGGERS = "org.apache.kafka.";

  /**
   * A request's correlation id in a message: new with every request, so a metadata warning given
   * for every request would never repeat word for word. Kafka's clients format their messages
   * before they reach the logger (their log context adds the client's name), so it is found in the
   * text.
   */
  private static final Pattern CORRELATION_ID = Pattern.compile("correlation id -?\\d+");

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
    String key =
        logger.getName()
            + '\u0000'
            + CORRELATION_ID.matcher(format).replaceAll("correlation id #")
            + '\u0000'
            + arguments(params);
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

  /** The arguments of a message not formatted yet, as the key compares them. */
  private static String arguments(Object[] params) {
    return params == null ? "" : Arrays.deepToString(params);
  }
}
