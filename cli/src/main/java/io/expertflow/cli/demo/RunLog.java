package io.expertflow.cli.demo;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Sends the log of a run to a file in its run folder instead of the terminal, so that the terminal
 * shows the demo's own progress; {@link #close} puts the terminal appenders back. The log holds no
 * document text (no component logs it).
 */
public final class RunLog implements AutoCloseable {
  private final Logger root;
  private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
  private final FileAppender<ILoggingEvent> file;

  private RunLog(Path path) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n");
    encoder.start();
    this.file = new FileAppender<>();
    file.setContext(context);
    file.setName("demo-run-log");
    file.setFile(path.toAbsolutePath().toString());
    file.setEncoder(encoder);
    file.start();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      detached.add(it.next());
    }
    detached.forEach(root::detachAppender);
    root.addAppender(file);
  }

  /** From now on, log to {@code path} only. */
  public static RunLog to(Path path) {
    return new RunLog(path);
  }

  @Override
  public void close() {
    root.detachAppender(file);
    detached.forEach(root::addAppender);
    file.stop();
  }
}
