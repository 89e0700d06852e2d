package io.expertflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.model.corpus.CorpusSet;
import io.expertflow.model.corpus.DataFields;
import io.expertflow.model.corpus.DataProblem;
import io.expertflow.model.corpus.DataProblem.Kind;
import io.expertflow.model.corpus.LabeledDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDataSourceTest {
  @TempDir Path dir;

  private static String line(String text, String label) {
    return "{\"text\": \"" + text + "\", \"label\": \"" + label + "\"}";
  }

  @Test
  void shouldDropFromTrainingTheDocumentsOfAFixedTestSet() throws IOException {
    List<String> training = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      training.add(line("invoice number " + i + " is due", "finance"));
      training.add(line("lunch at noon on day " + i, "social"));
    }
    Path data = Files.write(dir.resolve("train.jsonl"), training);
    Path test =
        Files.write(
            dir.resolve("test.jsonl"),
            List.of(
                line("invoice number 3 is due", "finance"),
                line("lunch at noon on day 7", "social"),
                line("lunch at noon on day 8", "finance"), // the same text, another label
                line("a fresh invoice", "finance"),
                line("coffee later?", "social")));
    UserDataSource source =
        new UserDataSource(data, Optional.of(test), DataFields.defaults(), 5, 1_000);

    UserDataSource.Inspections found = source.inspect(ProgressListener.silent());
    CorpusSet set = source.load(ProgressListener.silent());

    assertThat(found.data().count(Kind.IN_TEST_DATA)).isEqualTo(3);
    assertThat(found.data().hasFatalProblems()).isFalse();
    assertThat(found.data().problems())
        .extracting(DataProblem::where)
        .containsExactly(data + ":7", data + ":16", data + ":18");
    assertThat(found.test().orElseThrow().documents()).hasSize(5);
    assertThat(found.describe()).contains("note:  3 x the same text as a test document");
    List<String> trainedTexts = set.documents().stream().map(LabeledDocument::text).toList();
    assertThat(trainedTexts)
        .hasSize(21)
        .doesNotContain(
            "invoice number 3 is due", "lunch at noon on day 7", "lunch at noon on day 8");
  }

  @Test
  void shouldRefuseTheTrainingDataAsItsOwnTestData() {
    Path data = dir.resolve("train.jsonl");

    assertThatThrownBy(
            () ->
                new UserDataSource(
                    data,
                    Optional.of(dir.resolve(".").resolve("train.jsonl")),
                    DataFields.defaults(),
                    5,
                    1_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is the training data itself");
  }
}
