package io.expertflow.model.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.model.corpus.DataProblem.Kind;
import org.junit.jupiter.api.Test;

class DataInspectorTest {
  private final DataInspector inspector = new DataInspector(2, 20);
  private long line;

  private void add(String label, String text) {
    line++;
    inspector.record(new DataRecord("data.jsonl", line, "d" + line, label, text));
  }

  @Test
  void shouldStopOnEmptyTextOrLabelNamingTheLine() {
    add("a", "   ");
    add(" ", "some text");

    DataInspection found = inspector.finish();

    assertThat(found.hasFatalProblems()).isTrue();
    assertThat(found.problems())
        .extracting(DataProblem::kind, DataProblem::where)
        .contains(
            org.assertj.core.groups.Tuple.tuple(Kind.EMPTY_TEXT, "data.jsonl:1"),
            org.assertj.core.groups.Tuple.tuple(Kind.EMPTY_LABEL, "data.jsonl:2"));
    assertThat(found.documents()).isEmpty();
  }

  @Test
  void shouldDropExactDuplicatesAndCountThem() {
    add("a", "one");
    add("a", "one");
    add("a", "two");

    DataInspection found = inspector.finish();

    assertThat(found.hasFatalProblems()).isFalse();
    assertThat(found.count(Kind.DUPLICATE_TEXT)).isEqualTo(1);
    assertThat(found.documents()).extracting(LabeledDocument::text).containsExactly("one", "two");
  }

  @Test
  void shouldDropATextFoundUnderTwoLabelsEverywhereAndReportIt() {
    add("a", "shared");
    add("b", "shared");
    add("a", "only a");
    add("a", "also a");
    add("b", "only b");
    add("b", "also b");

    DataInspection found = inspector.finish();

    assertThat(found.count(Kind.CONFLICTING_LABELS)).isEqualTo(1);
    assertThat(found.problems())
        .filteredOn(p -> p.kind() == Kind.CONFLICTING_LABELS)
        .singleElement()
        .satisfies(p -> assertThat(p.detail()).contains("b", "a"));
    assertThat(found.documents()).extracting(LabeledDocument::text).doesNotContain("shared");
    assertThat(found.hasFatalProblems()).isFalse();
  }

  @Test
  void shouldCutDocumentsOverTheSizeLimitAndCountThem() {
    add("a", "x".repeat(50));
    add("a", "short");

    DataInspection found = inspector.finish();

    assertThat(found.count(Kind.TOO_LONG)).isEqualTo(1);
    assertThat(found.documents().get(0).text()).hasSize(20);
  }

  @Test
  void shouldRefuseLabelsWithTooFewDocumentsListingThem() {
    add("a", "one");
    add("a", "two");
    add("rare", "three");

    DataInspection found = inspector.finish();

    assertThat(found.hasFatalProblems()).isTrue();
    assertThat(found.problems())
        .filteredOn(p -> p.kind() == Kind.TOO_FEW)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.where()).contains("rare (1)").doesNotContain("a (2)");
              assertThat(p.detail()).contains("--min-per-label");
            });
    assertThat(found.describe()).contains("rare", "error:");
  }

  @Test
  void shouldKeepIdsUniqueWhenAFileRepeatsOne() {
    inspector.record(new DataRecord("f", 1, "same", "a", "first"));
    inspector.record(new DataRecord("f", 2, "same", "a", "second"));

    assertThat(inspector.finish().documents())
        .extracting(LabeledDocument::id)
        .containsExactly("same", "same#2");
  }

  @Test
  void shouldStopOnALabelNoBundleCouldHoldNamingTheLine() {
    add("line\nbreak", "secret one");
    add("line\nbreak", "two");
    add("x".repeat(201), "three");
    add("a", "four");
    add("a", "five");

    DataInspection found = inspector.finish();

    assertThat(found.hasFatalProblems()).isTrue();
    assertThat(found.problems())
        .extracting(DataProblem::kind, DataProblem::where)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Kind.BAD_LABEL, "data.jsonl:1"),
            org.assertj.core.groups.Tuple.tuple(Kind.BAD_LABEL, "data.jsonl:2"),
            org.assertj.core.groups.Tuple.tuple(Kind.BAD_LABEL, "data.jsonl:3"));
    assertThat(found.problems().get(0).toString())
        .contains("'line\\nbreak'", "control character")
        .doesNotContain("secret");
    assertThat(found.labels()).containsExactly("a");
  }
}
