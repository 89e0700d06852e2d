package io.expertflow.model.training;

import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.corpus.TrainingCorpora;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The small labelled corpus the training tests run on, no download: made-up words, one vocabulary a
 * label.
 */
final class TestDocuments {
  private TestDocuments() {}

  /** Twelve documents per label; each label has its own vocabulary plus shared filler words. */
  static List<LabeledDocument> twelvePerLabel() {
    Random random = new Random(5);
    List<LabeledDocument> docs = new ArrayList<>();
    for (String label : TrainingCorpora.LABELS) {
      for (int i = 0; i < 12; i++) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 60; w++) {
          text.append(
                  random.nextInt(3) == 0
                      ? "filler" + random.nextInt(30)
                      : label + random.nextInt(8))
              .append(' ');
        }
        docs.add(new LabeledDocument(label + "/" + i, label, text.toString()));
      }
    }
    docs.add(new LabeledDocument("zz/duplicate", "spam", docs.get(docs.size() - 1).text()));
    return docs;
  }
}
