package io.expertflow.schemas.errors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Set;
import java.util.regex.Pattern;

/** An error's message for a person: what went wrong and where, never a Java class name. */
public final class ErrorText {
  /** A quoted piece of the input in a parser's message. */
  private static final Pattern QUOTED = Pattern.compile("'[^']*'");

  /** The quoted words a JSON parser's message names of its own, not of the input. */
  private static final Set<String> JSON_WORDS = Set.of("'null'", "'true'", "'false'");

  /** Where Jackson says an unclosed object or array began: the input's source, then line 1. */
  private static final Pattern START_MARKER =
      Pattern.compile(" \\(start marker at \\[Source: .*?; line: \\d+, column: \\d+\\]\\)");

  /** How Jackson's strict duplicate detection begins its message. */
  private static final String DUPLICATE_FIELD = "Duplicate field '";

  private ErrorText() {}

  /**
   * The message of {@code e}, or of the first cause with words of its own (not only its cause's). A
   * file-system error says what happened to which file (its own message is often the bare path); an
   * {@link UncheckedIOException} gives its own words followed by its cause's where they do not
   * already say them.
   */
  public static String of(Throwable e) {
    Throwable t = e;
    // an exception made from its cause alone carries the cause's class and message as its own
    while (t.getCause() != null
        && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))
        && unsaid(t) == null) {
      t = t.getCause();
    }
    if (t instanceof UncheckedIOException && t.getCause() != null) {
      // its own words, and the cause's where they do not already say it; a cause written into
      // them with its class name ("...: java.nio.file.NoSuchFileException: /x") is said in words
      String own = t.getMessage();
      String cause = of(t.getCause());
      String written = t.getCause().toString();
      if (own.contains(written)) {
        return own.replace(written, cause);
      }
      return own.contains(t.getCause().getMessage() + "") ? own : own + ": " + cause;
    }
    if (t instanceof JsonProcessingException json && json.getOriginalMessage() != null) {
      // Jackson's own message adds a line on where it read from ("[Source: REDACTED ...]") and
      // quotes what it met, which may be document text: say what and where, not the words
      String first =
          START_MARKER
              .matcher(json.getOriginalMessage().lines().findFirst().orElse("").strip())
              .replaceAll("");
      String what =
          first.startsWith(DUPLICATE_FIELD)
              ? "a field is given twice in one object"
              : QUOTED
                  .matcher(first)
                  .replaceAll(m -> JSON_WORDS.contains(m.group()) ? m.group() : "'…'");
      JsonLocation at = json.getLocation();
      return at == null || at.getColumnNr() < 1
          ? what
          : what + " (column " + at.getColumnNr() + ")";
    }
    if (t instanceof FileSystemException f && f.getFile() != null) {
      String what =
          f instanceof NoSuchFileException
              ? "no such file or folder"
              : f instanceof AccessDeniedException
                  ? "permission denied"
                  : f instanceof NotDirectoryException
                      ? "not a folder"
                      : f instanceof FileAlreadyExistsException
                          ? "already exists"
                          : f.getReason() == null ? "cannot use" : f.getReason();
      return what
          + ": "
          + f.getFile()
          + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
    }
    if (t.getMessage() == null) {
      String unsaid = unsaid(t);
      return unsaid == null ? t.getClass().getSimpleName() : unsaid;
    }
    return t.getMessage();
  }

  /**
   * What an exception without a message means: the JDK's HTTP client, for one, throws a {@link
   * ConnectException} without a message where the other side refused the connection; null for
   * others.
   */
  private static String unsaid(Throwable t) {
    if (t instanceof ConnectException) {
      return "connection refused";
    }
    if (t instanceof HttpConnectTimeoutException) {
      return "no connection within the timeout";
    }
    if (t instanceof HttpTimeoutException) {
      return "no answer within the timeout";
    }
    if (t instanceof UnknownHostException) {
      return "unknown host";
    }
    if (t instanceof EOFException) {
      return "the data ended early"; // a truncated file, or a stream closed mid-record
    }
    return null;
  }
}
