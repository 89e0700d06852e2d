package io.expertflow.cli.commands;

import io.expertflow.model.corpus.DataFields;
import io.expertflow.model.corpus.DataInspector;
import io.expertflow.model.training.UserDataSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options of {@code expertflow train} that choose the training data: the user's own file or
 * folder, its field names, the checks' limits and a dry run; without {@code --data}, the built-in
 * corpora.
 */
final class TrainingDataOptions {
  @Option(
      names = "--data",
      paramLabel = "PATH",
      description =
          "Your labelled documents: a JSON Lines file (.jsonl), a CSV or TSV file with a header"
              + " (.csv, .tsv), or a folder whose subfolders are the labels (LABEL/**/*.txt, .md,"
              + " .html, .eml). Without it: the built-in corpora (Brown genres, SpamAssassin).")
  Path data;

  @Option(
      names = "--test-data",
      paramLabel = "PATH",
      description =
          "A fixed test set in any --data format (default: a stratified split of --data).")
  Path testData;

  @Option(
      names = {"--text-field", "--text-column"},
      paramLabel = "NAME",
      defaultValue = DataFields.DEFAULT_TEXT,
      description = "Field (JSON Lines) or column (CSV) of the text (default: ${DEFAULT-VALUE}).")
  String textField;

  @Option(
      names = {"--label-field", "--label-column"},
      paramLabel = "NAME",
      defaultValue = DataFields.DEFAULT_LABEL,
      description = "Field or column of the label (default: ${DEFAULT-VALUE}).")
  String labelField;

  @Option(
      names = {"--id-field", "--id-column"},
      paramLabel = "NAME",
      defaultValue = DataFields.DEFAULT_ID,
      description =
          "Field or column of an optional document id (default: ${DEFAULT-VALUE}; absent: the"
              + " file and line).")
  String idField;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description =
          "The model's name in its bundle and on the version topics (default: the --data file or"
              + " folder name; expertflow-demo for the built-in corpora).")
  String name;

  @Option(
      names = "--labels",
      paramLabel = "L1,L2,...",
      split = ",",
      description =
          "The label space in the bundle's order (every label of --data must be in it); default:"
              + " the labels of --data, sorted.")
  List<String> labels;

  @Option(
      names = "--min-per-label",
      paramLabel = "N",
      defaultValue = "" + DataInspector.DEFAULT_MIN_PER_LABEL,
      description = "Refuse labels with fewer documents than this (default: ${DEFAULT-VALUE}).")
  int minPerLabel;

  @Option(
      names = "--max-chars",
      paramLabel = "N",
      defaultValue = "" + DataInspector.DEFAULT_MAX_CHARS,
      description = "Cut longer documents to this many characters (default: ${DEFAULT-VALUE}).")
  int maxChars;

  @Option(
      names = "--dry-run",
      description = "Read and check --data, print the label table and the problems, and stop.")
  boolean dryRun;

  /** The user's data, if {@code --data} was given. */
  Optional<UserDataSource> source() {
    if (data == null) {
      return Optional.empty();
    }
    return Optional.of(
        new UserDataSource(
            data,
            Optional.ofNullable(testData),
            new DataFields(textField, labelField, idField),
            minPerLabel,
            maxChars,
            Optional.ofNullable(labels)));
  }

  /** The bundle's model name: the data's file or folder name, else the demo model's. */
  String modelName() {
    if (name != null && !name.isBlank()) {
      return name;
    }
    if (data == null || data.getFileName() == null) {
      return "expertflow-demo";
    }
    String name = data.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** {@code --dry-run}: reads and checks the data, prints the label table and the problems. */
  int dryRun(PrintWriter out, PrintWriter err) {
    Optional<UserDataSource> source = source();
    if (source.isEmpty()) {
      err.println("train: --dry-run checks the documents of --data; give --data PATH");
      return 2;
    }
    try {
      UserDataSource.Inspections found = source.get().inspect(new ConsoleProgress(err));
      out.print(found.describe());
      out.flush();
      return found.hasFatalProblems() ? 2 : 0;
    } catch (IllegalArgumentException e) {
      err.println("train: " + e.getMessage());
      return 2;
    }
  }
}
