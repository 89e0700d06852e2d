package io.expertflow.model.corpus;

import java.util.Objects;

/**
 * A document of a labelled corpus.
 *
 * @param id stable identifier within its corpus (e.g. {@code brown/ca01}, {@code
 *     spamassassin/spam-1/00001.7848...})
 * @param label its label name
 * @param text the plain text (never logged)
 */
public record LabeledDocument(String id, String label, String text) {
  public LabeledDocument {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return "LabeledDocument[id=" + id + ", label=" + label + ", chars=" + text.length() + "]";
  }
}
