package io.expertflow.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.LoggerFactory;

/**
 * TEST SUPPORT: every log line written while it is open, at DEBUG and above (the project's own
 * loggers at TRACE), so a test can check what reached the logs, for example that document text
 * never does. {@link #close} restores the levels. One at a time per JVM. A test class with
 * {@code @ExtendWith(LogCapture.Extension.class)} gets one per test as a parameter, closed after
 * it.
 */
public final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Logger project = (Logger) LoggerFactory.getLogger("io.expertflow");
  private final Level rootLevel;
  private final Level projectLevel;

  private LogCapture() {
    rootLevel = root.getLevel();
    projectLevel = project.getLevel();
    root.setLevel(Level.DEBUG);
    project.setLevel(Level.TRACE);
    events.start();
    root.addAppender(events);
  }

  /** Starts capturing. */
  public static LogCapture start() {
    return new LogCapture();
  }

  /** Each line captured so far: its message, then its exception's stack trace where it has one. */
  public List<String> lines() {
    List<ILoggingEvent> seen;
    synchronized (events) { // the appender appends under its own lock, from any thread
      seen = List.copyOf(events.list);
    }
    return seen.stream()
        .map(
            e ->
                e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                        ? ""
                        : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
        .toList();
  }

  @Override
  public void close() {
    root.detachAppender(events);
    events.stop();
    root.setLevel(rootLevel);
    project.setLevel(projectLevel);
  }

  /** Hands each test that asks for a {@link LogCapture} one started for it, and closes it after. */
  public static final class Extension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(LogCapture.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == LogCapture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(LogCapture.class, k -> LogCapture.start(), LogCapture.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
      LogCapture capture = context.getStore(NAMESPACE).remove(LogCapture.class, LogCapture.class);
      if (capture != null) {
        capture.close();
      }
    }
  }
}
