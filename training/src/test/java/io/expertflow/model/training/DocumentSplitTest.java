package io.expertflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.model.corpus.LabeledDocument;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DocumentSplitTest {
  private final List<LabeledDocument> docs = documents();

  @Test
  void shouldPutEveryDocumentInExactlyOneSplitStratifiedByLabel() {
    Map<Split, List<LabeledDocument>> split = DocumentSplit.split(docs, 7, Integer.MAX_VALUE);

    Set<String> ids = new HashSet<>();
    split.values().forEach(part -> part.forEach(d -> assertThat(ids.add(d.id())).isTrue()));
    assertThat(ids).hasSize(docs.size());
    assertThat(split.get(Split.TRAIN).stream().filter(d -> d.label().equals("a"))).hasSize(70);
    assertThat(split.get(Split.VALIDATION).stream().filter(d -> d.label().equals("a"))).hasSize(15);
    assertThat(split.get(Split.TEST).stream().filter(d -> d.label().equals("b"))).hasSize(3);
  }

  @Test
  void shouldNotDependOnInputOrderButOnTheSeed() {
    List<LabeledDocument> shuffled = new ArrayList<>(docs);
    Collections.shuffle(shuffled, new java.util.Random(3));

    assertThat(DocumentSplit.split(shuffled, 7, Integer.MAX_VALUE))
        .isEqualTo(DocumentSplit.split(docs, 7, Integer.MAX_VALUE));
    assertThat(DocumentSplit.split(docs, 8, Integer.MAX_VALUE).get(Split.TEST))
        .isNotEqualTo(DocumentSplit.split(docs, 7, Integer.MAX_VALUE).get(Split.TEST));
  }

  @Test
  void shouldCapEachLabelBeforeSplitting() {
    Map<Split, List<LabeledDocument>> split = DocumentSplit.split(docs, 7, 10);

    long a =
        split.values().stream().flatMap(List::stream).filter(d -> d.label().equals("a")).count();
    long b =
        split.values().stream().flatMap(List::stream).filter(d -> d.label().equals("b")).count();
    assertThat(a).isEqualTo(10);
    assertThat(b).isEqualTo(10);
    assertThat(split.get(Split.TEST)).isNotEmpty();
  }

  @Test
  void shouldCutAHeldOutLabelIntoTrafficAndEvaluationOnlyAndDeterministically() {
    Map<Split, List<LabeledDocument>> split =
        DocumentSplit.split(docs, 7, Integer.MAX_VALUE, Set.of("b"), 0.5);
    List<LabeledDocument> shuffled = new ArrayList<>(docs);
    Collections.shuffle(shuffled, new java.util.Random(3));

    assertThat(split.get(Split.SHIFT_TRAFFIC)).hasSize(10).allMatch(d -> d.label().equals("b"));
    assertThat(split.get(Split.SHIFT_EVALUATION)).hasSize(10).allMatch(d -> d.label().equals("b"));
    assertThat(split.get(Split.SHIFT_TRAFFIC))
        .doesNotContainAnyElementsOf(split.get(Split.SHIFT_EVALUATION));
    for (Split trained : List.of(Split.TRAIN, Split.VALIDATION, Split.TEST)) {
      assertThat(split.get(trained)).noneMatch(d -> d.label().equals("b"));
    }
    assertThat(split.get(Split.TRAIN)).hasSize(70);
    assertThat(DocumentSplit.split(shuffled, 7, Integer.MAX_VALUE, Set.of("b"), 0.5))
        .isEqualTo(split);
  }

  @Test
  void shouldRejectATrafficShareThatLeavesAPoolEmpty() {
    assertThatThrownBy(() -> DocumentSplit.split(docs, 7, 10, Set.of("b"), 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trafficShare must be in (0, 1)");
  }

  private static List<LabeledDocument> documents() {
    List<LabeledDocument> list = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      list.add(new LabeledDocument("a/" + i, "a", "text a " + i));
    }
    for (int i = 0; i < 20; i++) {
      list.add(new LabeledDocument("b/" + i, "b", "text b " + i));
    }
    return list;
  }
}
