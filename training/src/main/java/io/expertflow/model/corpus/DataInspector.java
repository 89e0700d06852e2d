package io.expertflow.model.corpus;

import io.expertflow.model.corpus.DataProblem.Kind;
import io.expertflow.operators.moe.LabelNames;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checks on a user's training data, run on the records as a reader streams them and before any
 * embedding: an empty text or label, a label no model can hold ({@link LabelNames}: a line break, a
 * tab, more than 200 characters), a record a reader could not use, and labels with fewer than
 * {@code minPerLabel} documents stop the run; exact duplicate texts are dropped (the first kept), a
 * text found under two labels is dropped everywhere (its label is unknown), a text of the fixed
 * test set is dropped from training, and documents longer than {@code maxChars} characters are cut;
 * each is counted. Keeps the kept documents and one SHA-256 per distinct text. One thread.
 */
public final class DataInspector implements DataVisitor {
  /** Problems of one kind listed with their place; the rest are counted. */
  public static final int EXAMPLES_PER_KIND = 20;

  public static final int DEFAULT_MIN_PER_LABEL = 10;

  /** Characters kept of a longer document: well past the 32 chunks a worker embeds by default. */
  public static final int DEFAULT_MAX_CHARS = 100_000;

  private final int minPerLabel;
  private final int maxChars;
  private final Set<String> testTexts;
  private final List<LabeledDocument> kept = new ArrayList<>();
  private final Map<String, Integer> indexByText = new HashMap<>();
  private final Map<String, String> labelByText = new HashMap<>();
  private final Set<String> conflicting = new HashSet<>();
  private final Set<String> ids = new HashSet<>();
  private final List<DataProblem> problems = new ArrayList<>();
  private final Map<Kind, Integer> problemCounts = new EnumMap<>(Kind.class);
  private long records;
  private int skippedFiles;

  public DataInspector(int minPerLabel, int maxChars) {
    this(minPerLabel, maxChars, Set.of());
  }

  /**
   * Checks training data against a fixed test set: a record whose text (cut as here) is one of
   * {@code testTexts} is dropped, so that the test figures are of documents training never saw.
   *
   * @param testTexts SHA-256s of the test documents' texts ({@link #textHashes} of their inspector)
   */
  public DataInspector(int minPerLabel, int maxChars, Set<String> testTexts) {
    if (minPerLabel < 1) {
      throw new IllegalArgumentException("--min-per-label must be at least 1, was " + minPerLabel);
    }
    if (maxChars < 1) {
      throw new IllegalArgumentException("the size limit must be at least 1, was " + maxChars);
    }
    this.minPerLabel = minPerLabel;
    this.maxChars = maxChars;
    this.testTexts = Set.copyOf(testTexts);
  }

  /** SHA-256s of the distinct texts read so far (cut to the size limit), conflicting ones too. */
  public Set<String> textHashes() {
    return Set.copyOf(labelByText.keySet());
  }

  @Override
  public void record(DataRecord r) {
    records++;
    String label = r.label() == null ? "" : r.label().strip();
    String text = r.text() == null ? "" : r.text();
    if (label.isEmpty()) {
      problem(new DataProblem(Kind.EMPTY_LABEL, r.where(), "id " + r.id()));
      return;
    }
    Optional<String> name = LabelNames.problem(label);
    if (name.isPresent()) {
      problem(new DataProblem(Kind.BAD_LABEL, r.where(), "id " + r.id() + ": " + name.get()));
      return;
    }
    if (text.isBlank()) {
      problem(new DataProblem(Kind.EMPTY_TEXT, r.where(), "id " + r.id() + ", label " + label));
      return;
    }
    if (text.length() > maxChars) {
      problem(
          new DataProblem(
              Kind.TOO_LONG, r.where(), text.length() + " characters cut to " + maxChars));
      text = text.substring(0, maxChars);
    }
    String sha = TrainingCorpora.sha256(text);
    if (testTexts.contains(sha)) {
      problem(new DataProblem(Kind.IN_TEST_DATA, r.where(), "id " + r.id() + ", label " + label));
      return;
    }
    String earlier = labelByText.get(sha);
    if (earlier != null) {
      if (earlier.equals(label)) {
        problem(
            new DataProblem(Kind.DUPLICATE_TEXT, r.where(), "same text as an earlier " + label));
      } else {
        conflicting.add(sha);
        problem(
            new DataProblem(
                Kind.CONFLICTING_LABELS, r.where(), "labelled " + label + " here and " + earlier));
      }
      return;
    }
    String id = r.id();
    for (int n = 2; !ids.add(id); n++) {
      id = r.id() + "#" + n; // ids name cache entries and splits: keep them unique
    }
    labelByText.put(sha, label);
    indexByText.put(sha, kept.size());
    kept.add(new LabeledDocument(id, label, text));
  }

  @Override
  public void problem(DataProblem problem) {
    int n = problemCounts.merge(problem.kind(), 1, Integer::sum);
    if (n <= EXAMPLES_PER_KIND) {
      problems.add(problem);
    }
  }

  /** Counts files a folder reader skipped. */
  public void skippedFiles(int count) {
    skippedFiles += count;
  }

  /** The checks' verdict over everything read so far. */
  public DataInspection finish() {
    Set<Integer> dropped = new HashSet<>();
    conflicting.forEach(sha -> dropped.add(indexByText.get(sha)));
    List<LabeledDocument> documents = new ArrayList<>();
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < kept.size(); i++) {
      if (!dropped.contains(i)) {
        LabeledDocument d = kept.get(i);
        documents.add(d);
        counts.merge(d.label(), 1, Integer::sum);
      }
    }
    List<String> tooFew =
        counts.entrySet().stream()
            .filter(e -> e.getValue() < minPerLabel)
            .map(e -> e.getKey() + " (" + e.getValue() + ")")
            .toList();
    if (!tooFew.isEmpty()) {
      problem(
          new DataProblem(
              Kind.TOO_FEW,
              "labels " + tooFew,
              "each label needs at least "
                  + minPerLabel
                  + " documents; add documents, merge or remove these labels, or lower"
                  + " --min-per-label"));
    }
    return new DataInspection(
        List.copyOf(counts.keySet()),
        documents,
        counts,
        problems,
        problemCounts,
        records,
        skippedFiles);
  }
}
