package io.expertflow.model.corpus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The formats of a user's training data, told apart by the path. */
public enum DataFormat {
  /** One JSON object per line. */
  JSONL,
  /** Comma-separated values with a header line (RFC 4180). */
  CSV,
  /** Tab-separated values with a header line. */
  TSV,
  /** A folder tree {@code LABEL/**} of text, Markdown, HTML and mail files. */
  FOLDER;

  /**
   * The format of {@code path}: a folder, or a file named {@code .jsonl} / {@code .ndjson} / {@code
   * .json}, {@code .csv}, {@code .tsv} / {@code .tab}.
   *
   * @throws IllegalArgumentException when the path does not exist or its name says nothing
   */
  public static DataFormat of(Path path) {
    if (Files.isDirectory(path)) {
      return FOLDER;
    }
    if (!Files.exists(path)) {
      throw new IllegalArgumentException("training data " + path + " does not exist");
    }
    return ofFileName(path)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "cannot tell the format of "
                        + path
                        + " from its name: name it .jsonl (JSON Lines), .csv or .tsv, or give a"
                        + " folder whose subfolders are the labels"));
  }

  /**
   * The format a file's name gives, a document per line or record: {@code .jsonl} / {@code .ndjson}
   * / {@code .json}, {@code .csv}, {@code .tsv} / {@code .tab}; empty for any other name. What
   * {@code submit}, {@code analyze} and {@code feedback} read by the same names.
   */
  public static Optional<DataFormat> ofFileName(Path file) {
    String name =
        file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      return Optional.of(JSONL);
    }
    if (name.endsWith(".csv")) {
      return Optional.of(CSV);
    }
    if (name.endsWith(".tsv") || name.endsWith(".tab")) {
      return Optional.of(TSV);
    }
    return Optional.empty();
  }

  /** The delimiter of a table: {@code ','} for CSV, a tab for TSV. */
  public char delimiter() {
    return switch (this) {
      case CSV -> ',';
      case TSV -> '\t';
      default -> throw new IllegalStateException(this + " is not a table");
    };
  }

  /** Reads {@code path} in this format into {@code inspector}. */
  public void read(Path path, DataFields fields, DataInspector inspector) {
    switch (this) {
      case JSONL -> JsonLinesData.read(path, fields, inspector);
      case CSV, TSV -> DelimitedData.read(path, delimiter(), fields, inspector);
      case FOLDER -> inspector.skippedFiles(FolderData.read(path, inspector));
    }
  }
}
