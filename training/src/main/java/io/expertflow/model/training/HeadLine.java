package io.expertflow.model.training;

import io.expertflow.operators.moe.DenseStart;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeTrainingConfig;
import java.util.Locale;

/** The progress line that says what {@code expertflow train} is about to train. Stateless. */
final class HeadLine {
  private HeadLine() {}

  /** What is about to be trained, in one line: the head's shape, its size and its start. */
  static String of(MoeHeadConfig head, TrainingConfig config, int train, int validation) {
    return String.format(
        Locale.ROOT,
        "head: %d experts (top-%d, %d domains) of %d -> %d -> %d, %,d expert parameters; start %s%s;"
            + " %,d training samples (%s), %,d validation documents",
        head.experts(),
        head.topK(),
        head.domains(),
        head.hidden(),
        head.expertHidden(),
        head.labelCount(),
        head.expertParameters(),
        config.training().start(),
        startDetail(head, config.training()),
        train,
        config.trainOnChunks() ? "documents and their chunks" : "documents",
        validation);
  }

  /**
   * What the regression start does with this head: it needs 2 (L - 1) hidden units, and starts the
   * ones left over as the spare units say; other starts have neither.
   */
  private static String startDetail(MoeHeadConfig head, MoeTrainingConfig training) {
    if (training.start() != MoeTrainingConfig.Start.UPCYCLED_FROM_LINEAR) {
      return "";
    }
    int used = 2 * (head.labelCount() - 1);
    if (!DenseStart.startsLinear(head)) {
      return " (experts narrower than the regression's "
          + used
          + " units: the dense stage starts from random weights)";
    }
    return head.expertHidden() > used ? ", spare units " + training.spareUnits() : "";
  }
}
