package io.expertflow.model.corpus;

/**
 * Something wrong with a user's training data, where it is and what to do about it.
 *
 * @param kind what is wrong
 * @param where {@code file:line}, a file, or a label
 * @param detail what was found (never the document's text)
 */
public record DataProblem(Kind kind, String where, String detail) {

  /** The kinds of problem; {@link #fatal()} ones stop the run before any embedding. */
  public enum Kind {
    UNREADABLE(true, "file cannot be read"),
    NOT_UTF8(true, "not UTF-8 text"),
    MALFORMED(true, "not a record of the format"),
    MISSING_FIELD(true, "text or label field missing"),
    EMPTY_TEXT(true, "empty text"),
    EMPTY_LABEL(true, "empty label"),
    BAD_LABEL(true, "label name not allowed"),
    TOO_FEW(true, "label has fewer documents than --min-per-label"),
    DUPLICATE_TEXT(false, "exact duplicate text, dropped"),
    CONFLICTING_LABELS(false, "the same text under two labels, dropped"),
    IN_TEST_DATA(false, "the same text as a test document, dropped from training"),
    TOO_LONG(false, "document over the size limit, cut");

    private final boolean fatal;
    private final String meaning;

    Kind(boolean fatal, String meaning) {
      this.fatal = fatal;
      this.meaning = meaning;
    }

    public boolean fatal() {
      return fatal;
    }

    public String meaning() {
      return meaning;
    }
  }

  @Override
  public String toString() {
    return where + ": " + kind.meaning() + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
