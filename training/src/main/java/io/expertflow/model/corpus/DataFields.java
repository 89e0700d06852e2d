package io.expertflow.model.corpus;

import java.util.Objects;

/**
 * Which field (JSON Lines) or column (CSV, TSV) holds what.
 *
 * @param text the document's text ({@value #DEFAULT_TEXT} by default)
 * @param label its label ({@value #DEFAULT_LABEL} by default)
 * @param id its id, optional ({@value #DEFAULT_ID} by default; absent: {@code file:line})
 */
public record DataFields(String text, String label, String id) {
  public static final String DEFAULT_TEXT = "text";
  public static final String DEFAULT_LABEL = "label";
  public static final String DEFAULT_ID = "id";

  public DataFields {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(id, "id");
    if (text.isBlank() || label.isBlank()) {
      throw new IllegalArgumentException("the text and label field names must not be empty");
    }
    if (text.equals(label)) {
      throw new IllegalArgumentException(
          "the text and the label must come from two fields, both are '" + text + "'");
    }
  }

  public static DataFields defaults() {
    return new DataFields(DEFAULT_TEXT, DEFAULT_LABEL, DEFAULT_ID);
  }
}
