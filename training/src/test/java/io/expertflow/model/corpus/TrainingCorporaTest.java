package io.expertflow.model.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingCorporaTest {

  @Test
  void shouldDropExactDuplicatesKeepingTheFirstById() {
    List<LabeledDocument> docs =
        List.of(
            new LabeledDocument("spamassassin/spam-2/00002", "spam", "Win money now"),
            new LabeledDocument("spamassassin/spam-1/00001", "spam", "Win money now"),
            new LabeledDocument("spamassassin/easy-ham-1/00001", "ham", "Lunch?"),
            new LabeledDocument("spamassassin/easy-ham-1/00002", "ham", "   "));

    CorpusSet set = TrainingCorpora.deduplicate(docs);

    assertThat(set.documents())
        .extracting(LabeledDocument::id)
        .containsExactly("spamassassin/easy-ham-1/00001", "spamassassin/spam-1/00001");
    assertThat(set.duplicatesDropped()).isEqualTo(2);
  }

  @Test
  void shouldUseOneLabelSpaceOfFifteenGenresThenHamAndSpam() {
    assertThat(TrainingCorpora.LABELS).hasSize(17).startsWith("adventure").endsWith("ham", "spam");
  }
}
