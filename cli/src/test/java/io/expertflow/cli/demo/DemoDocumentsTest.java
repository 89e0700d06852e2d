package io.expertflow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.training.ShiftPools;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoDocumentsTest {
  private static List<LabeledDocument> corpus() {
    List<LabeledDocument> docs = new ArrayList<>();
    for (String label : List.of("news", "spam", "learned")) {
      for (int i = 0; i < 40; i++) {
        docs.add(new LabeledDocument(label + "/" + i, label, "text " + label + " " + i));
      }
    }
    return docs;
  }

  @Test
  void shouldKeepTheWeekApartFromTheEvaluationDocuments() {
    DemoDocuments d = DemoDocuments.draw(corpus(), 42, 150, "learned", 1000, 1000);

    Set<String> week = new HashSet<>();
    d.week().forEach(x -> week.add(x.id()));
    assertThat(d.week()).hasSize(20).allMatch(x -> x.label().equals("learned"));
    assertThat(d.evaluation()).noneMatch(x -> week.contains(x.id()));
    assertThat(d.evaluation()).filteredOn(x -> x.label().equals("learned")).hasSize(20);
    assertThat(d.hasWeek()).isTrue();
  }

  @Test
  void shouldEvaluateOnlyTestDocumentsOfTrainedLabels() {
    DemoDocuments d = DemoDocuments.draw(corpus(), 42, 150, "learned", 1000, 1000);

    // 40 per label cut 70/15/15: 6 test documents each for news and spam
    assertThat(d.evaluation()).filteredOn(x -> x.label().equals("news")).hasSize(6);
    assertThat(d.evaluation()).filteredOn(x -> x.label().equals("spam")).hasSize(6);
  }

  @Test
  void shouldDrawTheSameDocumentsEveryRunAndHonourTheCounts() {
    DemoDocuments a = DemoDocuments.draw(corpus(), 42, 150, "learned", 25, 5);
    DemoDocuments b = DemoDocuments.draw(corpus(), 42, 150, "learned", 25, 5);

    assertThat(a.evaluation()).hasSize(25).isEqualTo(b.evaluation());
    assertThat(a.week()).hasSize(5).isEqualTo(b.week());
    assertThat(a.newLabelOnly().evaluation()).allMatch(x -> x.label().equals("learned"));
  }

  @Test
  void shouldEvaluateOnTheNewLabelsWholeEvaluationPoolWhateverTheCount() {
    DemoDocuments d = DemoDocuments.draw(corpus(), 42, 150, "learned", 1, 5);

    assertThat(d.evaluation()).hasSize(20).allMatch(x -> x.label().equals("learned"));
  }

  @Test
  void shouldAcceptThePoolsTrainingWroteAndRefuseOthers() {
    DemoDocuments d = DemoDocuments.draw(corpus(), 42, 150, "learned", 30, 20);
    List<ShiftPools.PoolDocument> week = pool(d.week());
    List<ShiftPools.PoolDocument> measured = pool(d.newLabelOnly().evaluation());

    d.checkMatches(new ShiftPools(List.of("learned"), week, measured));
    assertThatThrownBy(() -> d.checkMatches(new ShiftPools(List.of("learned"), measured, measured)))
        .hasMessageContaining("traffic pool");
    assertThatThrownBy(
            () -> d.checkMatches(new ShiftPools(List.of("learned"), week, measured.subList(0, 10))))
        .hasMessageContaining("evaluation pool");
  }

  private static List<ShiftPools.PoolDocument> pool(List<DemoDocument> docs) {
    return docs.stream().map(x -> new ShiftPools.PoolDocument(x.id(), x.label())).toList();
  }

  @Test
  void shouldRefuseANewLabelTheCorporaLack() {
    assertThatThrownBy(() -> DemoDocuments.draw(corpus(), 42, 150, "poetry", 10, 5))
        .hasMessageContaining("'poetry'");
  }

  @Test
  void shouldHaveNoWeekForUnlabelledDocuments() {
    DemoDocuments d = DemoDocuments.unlabelled(List.of(new DemoDocument("a", "text", null)));

    assertThat(d.hasWeek()).isFalse();
    assertThat(d.newLabel()).isNull();
  }
}
