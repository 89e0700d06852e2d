package io.expertflow.streams.jobs.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How {@code job export} writes each document: JSON Lines or CSV (RFC 4180, with a header). */
public enum ExportFormat {
  JSONL,
  CSV;

  private static final ObjectMapper JSON = new ObjectMapper();

  static final List<String> CSV_COLUMNS =
      List.of(
          "seq",
          "request_id",
          "source",
          "status",
          "labels",
          "experts",
          "domain_expert",
          "decision",
          "rule",
          "model_version",
          "audit_sha256",
          "dead_letter_reason",
          "dead_letter_detail");

  void header(Writer out) throws IOException {
    if (this == CSV) {
      out.write(String.join(",", CSV_COLUMNS));
      out.write("\r\n");
    }
  }

  void write(ExportRow row, Writer out) throws IOException {
    if (this == JSONL) {
      out.write(JSON.writeValueAsString(row));
      out.write('\n');
      return;
    }
    List<String> cells =
        List.of(
            row.seq() == null ? "" : row.seq().toString(),
            row.requestId(),
            text(row.source()),
            row.status(),
            row.labels() == null
                ? ""
                : row.labels().stream()
                    .map(
                        l ->
                            labelText(l.label())
                                + ":"
                                + String.format(Locale.ROOT, "%.4f", l.score()))
                    .collect(Collectors.joining(";")),
            row.experts() == null
                ? ""
                : row.experts().stream()
                    .map(e -> e.expert() + ":" + String.format(Locale.ROOT, "%.4f", e.weight()))
                    .collect(Collectors.joining(";")),
            row.domainExpert() == null ? "" : row.domainExpert().toString(),
            text(row.decision()),
            text(row.rule()),
            text(row.modelVersion()),
            text(row.auditSha256()),
            text(row.deadLetterReason()),
            text(row.deadLetterDetail()));
    out.write(cells.stream().map(ExportFormat::quote).collect(Collectors.joining(",")));
    out.write("\r\n");
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }

  /**
   * A label inside the {@code labels} cell ({@code label:score;label:score}): a {@code ;} or a
   * backslash in it is written with a backslash before it, so the cell splits on every {@code ;}
   * without one; a {@code :} needs nothing, the score following the last one.
   */
  static String labelText(String label) {
    return label.replace("\\", "\\\\").replace(";", "\\;");
  }

  /** RFC 4180: a cell with a comma, quote or line break is quoted, quotes doubled. */
  static String quote(String cell) {
    if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
      return "\"" + cell.replace("\"", "\"\"") + "\"";
    }
    return cell;
  }

  /** The format named {@code name} (case-insensitive). */
  public static ExportFormat of(String name) {
    for (ExportFormat f : values()) {
      if (f.name().equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown export format '" + name + "'; use jsonl or csv");
  }
}
