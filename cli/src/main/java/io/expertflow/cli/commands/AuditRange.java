package io.expertflow.cli.commands;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One end of the range {@code expertflow audit verify} reads: an offset (the same in every
 * partition read) or a time (each partition's first record at or after it). Immutable.
 *
 * @param offset the offset, or -1 when {@code time} is set
 * @param time the time, or null when {@code offset} is set
 */
record AuditRange(long offset, Instant time) {

  /**
   * {@code text} as an offset ({@code 1200}) or an ISO-8601 time ({@code 2026-03-02T00:00:00Z}).
   *
   * @throws IllegalArgumentException naming the flag and the value
   */
  static AuditRange parse(String flag, String text) {
    String value = text.trim();
    if (value.matches("\\d+")) {
      return new AuditRange(Long.parseLong(value), null);
    }
    try {
      return new AuditRange(-1, Instant.parse(value));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          flag
              + " must be an offset (e.g. 1200) or an ISO-8601 time (e.g. 2026-03-02T00:00:00Z),"
              + " was '"
              + text
              + "'");
    }
  }

  boolean isTime() {
    return time != null;
  }
}
