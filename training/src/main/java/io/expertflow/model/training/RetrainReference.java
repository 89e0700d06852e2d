package io.expertflow.model.training;

import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadTrainer;
import io.expertflow.operators.moe.MoeTrainingConfig;
import io.expertflow.operators.update.ShiftFigures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reference a weekly update is judged against: a whole head trained from scratch, with the same
 * settings and seed, on the training samples plus the week's feedback documents (the traffic pool
 * with its true labels), and measured as the update is, on the evaluation pool and the guard set.
 * The update's gain on the new label is then a share of the retrain's. Stateless.
 */
final class RetrainReference {
  private RetrainReference() {}

  static TrainingReport.Retrain run(
      TrainingConfig config,
      MoeHeadConfig head,
      List<LabeledEmbedding> train,
      List<LabeledEmbedding> trainDocuments,
      List<LabeledEmbedding> validation,
      LabeledSamples samples,
      Map<Split, List<LabeledDocument>> split,
      GuardSet guard,
      ShiftFigures update) {
    // the feedback documents as training sees its own: with their chunks if it trains on chunks
    List<LabeledEmbedding> traffic =
        config.trainOnChunks()
            ? samples.documentsAndChunks(split.get(Split.SHIFT_TRAFFIC))
            : samples.documents(split.get(Split.SHIFT_TRAFFIC));
    List<LabeledEmbedding> evaluation = samples.documents(split.get(Split.SHIFT_EVALUATION));
    MoeTrainingConfig training = config.training();
    List<LabeledEmbedding> withFeedback = new ArrayList<>(train);
    withFeedback.addAll(traffic);
    // balanced over the documents it will serve, as training balances the head it is compared with
    List<LabeledEmbedding> routing = new ArrayList<>(trainDocuments);
    routing.addAll(samples.documents(split.get(Split.SHIFT_TRAFFIC)));
    MoeHeadReference retrained =
        new MoeHeadReference(
            new MoeHeadTrainer(training)
                .train(head, withFeedback, routing, validation, e -> {})
                .weights());
    double newLabel = accuracy(retrained, evaluation);
    double guardAccuracy = accuracy(retrained, guard.samples());
    double retrainGain = newLabel - update.newLabelBefore();
    double updateGain = update.newLabelAfter() - update.newLabelBefore();
    return new TrainingReport.Retrain(
        newLabel, guardAccuracy, retrainGain > 0 ? updateGain / retrainGain : Double.NaN);
  }

  private static double accuracy(MoeHeadReference head, List<LabeledEmbedding> samples) {
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    int right = 0;
    for (LabeledEmbedding s : samples) {
      if (head.forward(s.embedding()).argmax() == s.label()) {
        right++;
      }
    }
    return (double) right / samples.size();
  }
}
