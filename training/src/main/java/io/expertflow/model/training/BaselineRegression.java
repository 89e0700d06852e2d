package io.expertflow.model.training;

import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.LinearProbe;
import io.expertflow.operators.moe.TrainingResult;
import java.util.Arrays;
import java.util.List;

/**
 * The logistic regression a training run reports beside its head ({@link TrainingConfig#baseline}).
 */
final class BaselineRegression {
  private BaselineRegression() {}

  /**
   * The regression on the head's own training and validation samples: with {@link
   * TrainingConfig.Baseline#START} the one the head's experts started from (fitted once for both),
   * or the same recipe fitted now if they started otherwise; with {@link
   * TrainingConfig.Baseline#TUNED} the regression at its best settings, the strength it chose said
   * to {@code listener}.
   */
  static LinearProbe fit(
      TrainingConfig config,
      TrainingResult result,
      List<LabeledEmbedding> train,
      List<LabeledEmbedding> validation,
      int labels,
      int dim,
      ProgressListener listener) {
    if (config.baseline() == TrainingConfig.Baseline.TUNED) {
      listener.info(
          "baseline: fitting the logistic regression to convergence at each L2 strength of "
              + Arrays.toString(LinearProbe.tunedGrid()));
      LinearProbe tuned = LinearProbe.tuned(train, validation, labels, dim);
      listener.info("baseline: L2 " + tuned.l2() + " chosen on validation");
      return tuned;
    }
    return result
        .linearStart()
        .orElseGet(
            () -> LinearProbe.train(train, validation, labels, dim, config.training().seed()));
  }
}
