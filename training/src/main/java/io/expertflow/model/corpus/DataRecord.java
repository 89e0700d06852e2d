package io.expertflow.model.corpus;

/**
 * One labelled document as a data file holds it, before any check.
 *
 * @param source the file it came from
 * @param line the line (JSON Lines), record (CSV) or 0 (a file of a folder tree) where it starts
 * @param id the document's id: the id field or column where given, else {@code source:line}
 * @param label its label as written (may be blank: the checks report it)
 * @param text its text as written (never logged; may be blank: the checks report it)
 */
public record DataRecord(String source, long line, String id, String label, String text) {

  /** Where it is, for a message: {@code file:line}, or the file alone. */
  public String where() {
    return line > 0 ? source + ":" + line : source;
  }

  @Override
  public String toString() {
    return "DataRecord[" + where() + ", id=" + id + ", label=" + label + "]";
  }
}
