package io.expertflow.schemas.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** An error's message for a person: what went wrong and where, never a Java class name. */
public final class ErrorText {
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
        && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))) {
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
      // Jackson's own message adds a line on where it read from ("[Source: REDACTED ...]")
      return json.getOriginalMessage().lines().findFirst().orElse("").strip();
    }
    if (t instanceof FileSystemException f && f.getFile() != null) {
      String what =
          f instanceof NoSuchFileException
              ? "no such file or folder"
              : f instanceof AccessDeniedException
                  ? "permission denied"
                  : f instanceof NotDirectoryException
                      ? "not a folder"
                      : f.getReason() == null ? "cannot use" : f.getReason();
      return what
          + ": "
          + f.getFile()
          + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
