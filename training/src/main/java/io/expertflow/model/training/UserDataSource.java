package io.expertflow.model.training;

import io.expertflow.model.corpus.CorpusSet;
import io.expertflow.model.corpus.DataCheckException;
import io.expertflow.model.corpus.DataFields;
import io.expertflow.model.corpus.DataFormat;
import io.expertflow.model.corpus.DataInspection;
import io.expertflow.model.corpus.DataInspector;
import io.expertflow.model.corpus.DataProblem.Kind;
import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.operators.moe.LabelNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A user's labelled documents as a {@link CorpusSource}: a JSON Lines, CSV or TSV file or a folder
 * tree, checked by a {@link DataInspector} before anything is embedded, and optionally a fixed test
 * set in any of these formats. The label space is the training data's labels, sorted, or a given
 * order. Documents are held in memory once read (the checks stream the files).
 *
 * @param data the training data
 * @param testData a fixed test set, or empty for a stratified split of {@code data}
 * @param fields which fields or columns hold the text, the label and the id
 * @param minPerLabel a label with fewer documents stops the run
 * @param maxChars longer documents are cut to this many characters
 * @param labelOrder the label space in the bundle's order, if given (every label of the data must
 *     be in it); else the data's labels sorted by name
 */
public record UserDataSource(
    Path data,
    Optional<Path> testData,
    DataFields fields,
    int minPerLabel,
    int maxChars,
    Optional<List<String>> labelOrder)
    implements CorpusSource {

  public UserDataSource {
    if (testData.isPresent()
        && testData.get().toAbsolutePath().normalize().equals(data.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException(
          "--test-data " + data + " is the training data itself; give documents kept apart");
    }
    labelOrder = labelOrder.map(List::copyOf);
    labelOrder.ifPresent(UserDataSource::checkOrder);
  }

  /** A given label order names each label once, and each is a label name. */
  private static void checkOrder(List<String> order) {
    Set<String> seen = new HashSet<>();
    for (String label : order) {
      Optional<String> problem = LabelNames.problem(label);
      if (problem.isPresent()) {
        throw new IllegalArgumentException("--labels: " + problem.get());
      }
      if (!seen.add(label)) {
        throw new IllegalArgumentException(
            "--labels: " + LabelNames.printable(label) + " is named twice in " + order);
      }
    }
  }

  /** Labels sorted by name. */
  public UserDataSource(
      Path data, Optional<Path> testData, DataFields fields, int minPerLabel, int maxChars) {
    this(data, testData, fields, minPerLabel, maxChars, Optional.empty());
  }

  /** Both inspections: the training data's, and the test data's if given. */
  public record Inspections(DataInspection data, Optional<DataInspection> test) {
    public boolean hasFatalProblems() {
      return data.hasFatalProblems() || test.map(DataInspection::hasFatalProblems).orElse(false);
    }

    /** The label tables and problems of both, for {@code --dry-run}. */
    public String describe() {
      return "training data:"
          + System.lineSeparator()
          + data.describe()
          + test.map(t -> "test data:" + System.lineSeparator() + t.describe()).orElse("");
    }
  }

  /**
   * Reads and checks the data without failing; what {@code --dry-run} prints. The test data, if
   * given, is read first, so that training drops the documents it holds.
   */
  public Inspections inspect(ProgressListener listener) {
    Set<String> testTexts = Set.of();
    Optional<DataInspection> test = Optional.empty();
    if (testData.isPresent()) {
      DataFormat format = DataFormat.of(testData.get());
      listener.info("reading " + format.name().toLowerCase() + " test data " + testData.get());
      DataInspector inspector = new DataInspector(1, maxChars);
      format.read(testData.get(), fields, inspector);
      test = Optional.of(inspector.finish());
      testTexts = inspector.textHashes();
    }
    DataFormat format = DataFormat.of(data);
    listener.info("reading " + format.name().toLowerCase() + " training data " + data);
    DataInspector inspector = new DataInspector(minPerLabel, maxChars, testTexts);
    format.read(data, fields, inspector);
    DataInspection trained = inspector.finish();
    test.ifPresent(t -> checkTestLabels(t, trained));
    return new Inspections(trained, test);
  }

  private void checkTestLabels(DataInspection checked, DataInspection trained) {
    List<String> unknown =
        checked.labels().stream().filter(label -> !trained.labels().contains(label)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "test data "
              + testData.get()
              + " has labels the training data lacks: "
              + unknown
              + "; training labels are "
              + trained.labels());
    }
  }

  @Override
  public CorpusSet load(ProgressListener listener) {
    Inspections found = inspect(listener);
    if (found.data().hasFatalProblems()) {
      throw new DataCheckException("training data " + data, found.data());
    }
    if (found.test().isPresent() && found.test().get().hasFatalProblems()) {
      throw new DataCheckException("test data " + testData.get(), found.test().get());
    }
    DataInspection d = found.data();
    listener.info(
        d.documents().size()
            + " documents in "
            + d.labels().size()
            + " labels after the checks ("
            + d.count(Kind.DUPLICATE_TEXT)
            + " exact duplicates dropped"
            + (testData.isPresent()
                ? ", " + d.count(Kind.IN_TEST_DATA) + " documents of the test data dropped"
                : "")
            + ")");
    List<LabeledDocument> test = found.test().map(t -> prefixed(t.documents())).orElse(List.of());
    return new CorpusSet(labels(d.labels()), d.documents(), d.count(Kind.DUPLICATE_TEXT), test);
  }

  /** The label space: the given order, or the data's labels sorted. */
  private List<String> labels(List<String> found) {
    if (labelOrder.isEmpty()) {
      return found;
    }
    List<String> unknown = found.stream().filter(l -> !labelOrder.get().contains(l)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "labels " + unknown + " of " + data + " are not in --labels " + labelOrder.get());
    }
    return labelOrder.get();
  }

  /** Test ids apart from training ids, whatever the files call them. */
  private static List<LabeledDocument> prefixed(List<LabeledDocument> documents) {
    List<LabeledDocument> out = new ArrayList<>(documents.size());
    documents.forEach(d -> out.add(new LabeledDocument("test/" + d.id(), d.label(), d.text())));
    return out;
  }
}
