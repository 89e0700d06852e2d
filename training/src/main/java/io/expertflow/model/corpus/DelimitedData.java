package io.expertflow.model.corpus;

import io.expertflow.model.corpus.DataProblem.Kind;
import io.expertflow.schemas.errors.ErrorText;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * Reads CSV (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) or TSV with a
 * header line naming the columns, through Apache Commons CSV. Streams record by record. Stateless.
 */
public final class DelimitedData {
  private DelimitedData() {}

  /**
   * Reads {@code file}, passing each record or problem to {@code visitor}.
   *
   * @param delimiter {@code ','} for CSV, {@code '\t'} for TSV
   */
  public static void read(Path file, char delimiter, DataFields fields, DataVisitor visitor) {
    read(file, delimiter, fields.text(), fields.label(), fields.id(), visitor);
  }

  /**
   * Reads documents to analyse, which need no label: like {@link #read} with the text column and
   * the optional id column; each record's label is empty.
   */
  public static void readUnlabelled(
      Path file, char delimiter, String textColumn, String idColumn, DataVisitor visitor) {
    read(file, delimiter, textColumn, null, idColumn, visitor);
  }

  private static void read(
      Path file,
      char delimiter,
      String textColumn,
      String labelColumn,
      String idColumn,
      DataVisitor visitor) {
    String source = file.toString();
    List<String> required =
        labelColumn == null ? List.of(textColumn) : List.of(textColumn, labelColumn);
    readRows(
        file,
        delimiter,
        required,
        " (choose others with --text-column / --label-column)",
        new RowVisitor() {
          @Override
          public void row(long line, Function<String, String> values) {
            String id = Objects.requireNonNullElse(values.apply(idColumn), "");
            String label = labelColumn == null ? "" : values.apply(labelColumn);
            visitor.record(
                new DataRecord(
                    source,
                    line,
                    id.isBlank() ? source + ":" + line : id,
                    label,
                    values.apply(textColumn)));
          }

          @Override
          public void problem(DataProblem problem) {
            visitor.problem(problem);
          }
        });
  }

  /** Receives the records of a CSV or TSV file as named values, in file order. One thread. */
  public interface RowVisitor {
    /**
     * A record.
     *
     * @param line the line it starts on (the header is line 1)
     * @param values the record's value in a column of the header, by its name; null for a name the
     *     header does not have (no map is made per record: a bulk file has millions)
     */
    void row(long line, Function<String, String> values);

    /** A problem that made the reader skip a record or the file. */
    void problem(DataProblem problem);
  }

  /**
   * Reads {@code file}, passing each record, as its values by column name, or problem to {@code
   * visitor}: the file is checked to be UTF-8 first, and a header without one of {@code required}
   * columns stops it.
   *
   * @param delimiter {@code ','} for CSV, {@code '\t'} for TSV
   * @param missingHint what the problem of a missing column adds (how to name another), or ""
   */
  public static void readRows(
      Path file, char delimiter, List<String> required, String missingHint, RowVisitor visitor) {
    String source = file.toString();
    CSVFormat format =
        CSVFormat.RFC4180
            .builder()
            .setDelimiter(delimiter)
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
            .get();
    try {
      StrictUtf8.forEachLine(file, (line, text) -> {}); // names the first line that is not UTF-8
    } catch (StrictUtf8.BadLine e) {
      visitor.problem(
          new DataProblem(
              Kind.NOT_UTF8, source + ":" + e.line(), "save the file as UTF-8 and retry"));
      return;
    } catch (IOException e) {
      visitor.problem(new DataProblem(Kind.UNREADABLE, source, ErrorText.of(e)));
      return;
    }
    long recordStart = 2;
    try (Reader in = StrictUtf8.reader(file);
        CSVParser parser = parser(in, format, source, visitor::problem)) {
      if (parser == null) {
        return;
      }
      Map<String, Integer> header = parser.getHeaderMap();
      for (String column : required) {
        if (!header.containsKey(column)) {
          visitor.problem(
              new DataProblem(
                  Kind.MISSING_FIELD,
                  source + ":1",
                  "no column '"
                      + column
                      + "'; the header has "
                      + header.keySet()
                      + missingHint
                      + otherDelimiter(header.keySet(), delimiter)));
          return;
        }
      }
      for (CSVRecord r : parser) {
        long line = recordStart;
        recordStart = parser.getCurrentLineNumber() + 1;
        if (!r.isConsistent()) {
          visitor.problem(
              new DataProblem(
                  Kind.MALFORMED,
                  source + ":" + line,
                  r.size() + " fields where the header has " + header.size()));
          continue;
        }
        visitor.row(line, column -> r.isMapped(column) ? r.get(column) : null);
      }
    } catch (UncheckedIOException e) {
      problem(source, recordStart, e.getCause(), visitor::problem);
    } catch (IOException | IllegalStateException | IllegalArgumentException e) {
      problem(source, recordStart, e, visitor::problem);
    }
  }

  /**
   * The parser over {@code in}, its header line read; null when that line is not a header (a column
   * name missing or repeated), said to {@code visitor} as a problem of line 1.
   */
  private static CSVParser parser(
      Reader in, CSVFormat format, String source, Consumer<DataProblem> problems)
      throws IOException {
    try {
      return CSVParser.builder().setReader(in).setFormat(format).get();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() + "";
      String detail =
          message.startsWith("A header name is missing")
              ? "a column of the header line has no name; name every column"
              : message.startsWith("The header contains a duplicate name")
                  ? "the header line names a column twice ("
                      + message.substring(message.indexOf('"'), message.indexOf(" in "))
                      + "); give each column its own name"
                  : message;
      problems.accept(new DataProblem(Kind.MALFORMED, source + ":1", detail));
      return null;
    }
  }

  private static void problem(
      String source, long line, Throwable e, Consumer<DataProblem> problems) {
    if (e instanceof CharacterCodingException) {
      problems.accept(
          new DataProblem(Kind.NOT_UTF8, source + ":" + line, "save the file as UTF-8 and retry"));
    } else if (e instanceof IOException && !(e instanceof CSVException)) {
      problems.accept(new DataProblem(Kind.UNREADABLE, source, ErrorText.of(e)));
    } else {
      problems.accept(new DataProblem(Kind.MALFORMED, source + ":" + line, parseError(e)));
    }
  }

  /** What the parser's message means for a person editing the file. */
  static String parseError(Throwable e) {
    String message = e.getMessage() + "";
    if (message.contains("EOF reached before encapsulated token finished")) {
      return "a quoted field that starts here is never closed: no closing \" follows before the end"
          + " of the file (inside a quoted field, write a quote as \"\")";
    }
    if (message.contains("Invalid character between encapsulated token and delimiter")) {
      return "characters follow a quoted field's closing \" before the next delimiter (quote the"
          + " whole field and double each quote inside it: \"say \"\"hi\"\"\")";
    }
    return message;
  }

  /**
   * A hint when a header read as one column holds another delimiter: a spreadsheet in a locale that
   * writes decimal commas exports CSV separated by semicolons.
   */
  private static String otherDelimiter(Set<String> header, char delimiter) {
    if (header.size() != 1) {
      return "";
    }
    String only = header.iterator().next();
    for (char c : new char[] {';', '\t', ',', '|'}) {
      if (c != delimiter && only.indexOf(c) >= 0) {
        return "; the header is one column holding '"
            + (c == '\t' ? "\\t" : String.valueOf(c))
            + "': a .csv file is read as comma-separated, a .tsv or .tab file as tab-separated";
      }
    }
    return "";
  }
}
