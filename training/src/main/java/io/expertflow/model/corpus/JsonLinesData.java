package io.expertflow.model.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.expertflow.model.corpus.DataProblem.Kind;
import io.expertflow.schemas.errors.ErrorText;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads JSON Lines: one JSON object per line with a text and a label field (names from {@link
 * DataFields}) and an optional id. Streams line by line; blank lines are skipped. Stateless.
 */
public final class JsonLinesData {
  private JsonLinesData() {}

  /** Reads {@code file}, passing each record or problem to {@code visitor}. */
  public static void read(Path file, DataFields fields, DataVisitor visitor) {
    String source = file.toString();
    try {
      StrictUtf8.forEachLine(
          file,
          (line, text) -> {
            if (line == 1 && text.startsWith("\uFEFF")) {
              text = text.substring(1);
            }
            if (!text.isBlank()) {
              record(source, line, text, fields, visitor);
            }
          });
    } catch (StrictUtf8.BadLine e) {
      visitor.problem(
          new DataProblem(
              Kind.NOT_UTF8, source + ":" + e.line(), "save the file as UTF-8 and retry"));
    } catch (IOException e) {
      visitor.problem(new DataProblem(Kind.UNREADABLE, source, ErrorText.of(e)));
    }
  }

  private static void record(
      String source, long line, String text, DataFields fields, DataVisitor visitor) {
    String where = source + ":" + line;
    JsonNode node;
    try {
      node = JsonLine.parse(text);
    } catch (JsonProcessingException e) {
      visitor.problem(new DataProblem(Kind.MALFORMED, where, "not JSON: " + ErrorText.of(e)));
      return;
    }
    if (node == null || !node.isObject()) {
      visitor.problem(new DataProblem(Kind.MALFORMED, where, "a line must hold one JSON object"));
      return;
    }
    JsonNode body = node.get(fields.text());
    JsonNode label = node.get(fields.label());
    if (body == null || !body.isTextual()) {
      visitor.problem(missing(where, fields.text(), "--text-field", node));
      return;
    }
    if (label == null || !label.isValueNode() || label.isNull()) {
      visitor.problem(missing(where, fields.label(), "--label-field", node));
      return;
    }
    JsonNode id = node.get(fields.id());
    String docId = id != null && id.isValueNode() && !id.isNull() ? id.asText() : where;
    visitor.record(new DataRecord(source, line, docId, label.asText(), body.asText()));
  }

  private static DataProblem missing(String where, String field, String flag, JsonNode node) {
    JsonNode value = node.get(field);
    String found =
        value == null
            ? "no string field '" + field + "'"
            : "field '"
                + field
                + "' is "
                + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                + ", not a string";
    return new DataProblem(
        Kind.MISSING_FIELD,
        where,
        found
            + "; the line has "
            + iterableToString(node.fieldNames())
            + " (choose another with "
            + flag
            + ")");
  }

  private static String iterableToString(java.util.Iterator<String> names) {
    StringBuilder b = new StringBuilder("[");
    names.forEachRemaining(n -> b.append(b.length() > 1 ? ", " : "").append(n));
    return b.append(']').toString();
  }
}
