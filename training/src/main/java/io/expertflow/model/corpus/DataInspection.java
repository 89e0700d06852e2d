package io.expertflow.model.corpus;

import io.expertflow.model.corpus.DataProblem.Kind;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the checks found in a user's training data: the documents that passed, the label table, and
 * the problems (up to {@link DataInspector#EXAMPLES_PER_KIND} examples of each kind, with counts).
 *
 * @param labels the labels, sorted
 * @param documents the documents that passed, in file order
 * @param countsByLabel documents per label (after duplicates were dropped), sorted by label
 * @param problems examples of every problem found, in the order found
 * @param problemCounts how often each kind of problem occurred
 * @param records records read
 * @param skippedFiles files of a folder tree that were not read (other types, or not inside a label
 *     folder)
 */
public record DataInspection(
    List<String> labels,
    List<LabeledDocument> documents,
    Map<String, Integer> countsByLabel,
    List<DataProblem> problems,
    Map<Kind, Integer> problemCounts,
    long records,
    int skippedFiles) {

  public DataInspection {
    labels = List.copyOf(labels);
    documents = List.copyOf(documents);
    countsByLabel = Map.copyOf(countsByLabel);
    problems = List.copyOf(problems);
    problemCounts = Map.copyOf(problemCounts);
  }

  /** Whether a problem stops the run. */
  public boolean hasFatalProblems() {
    return problemCounts.keySet().stream().anyMatch(Kind::fatal);
  }

  public int count(Kind kind) {
    return problemCounts.getOrDefault(kind, 0);
  }

  /** The label table and the problems, as {@code train --dry-run} prints them. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-32s %10s%n", "label", "documents"));
    countsByLabel.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> b.append(String.format(Locale.ROOT, "%-32s %10d%n", e.getKey(), e.getValue())));
    b.append(
        String.format(
            Locale.ROOT,
            "%d records read, %d documents kept in %d labels",
            records,
            documents.size(),
            labels.size()));
    if (skippedFiles > 0) {
      b.append(
          String.format(
              Locale.ROOT,
              ", %d files skipped (not .txt/.md/.html/.eml inside a label folder)",
              skippedFiles));
    }
    b.append(System.lineSeparator());
    for (Kind kind : Kind.values()) {
      int n = count(kind);
      if (n > 0) {
        b.append(
            String.format(
                Locale.ROOT,
                "%s %d x %s%n",
                kind.fatal() ? "error:" : "note: ",
                n,
                kind.meaning()));
        problems.stream()
            .filter(p -> p.kind() == kind)
            .forEach(p -> b.append("  ").append(p).append(System.lineSeparator()));
        if (n > problems.stream().filter(p -> p.kind() == kind).count()) {
          b.append("  ...").append(System.lineSeparator());
        }
      }
    }
    return b.toString();
  }
}
